#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file of acked fixes, `device,time_ms` per line: the crash test checks that every line's
/// fix is stored exactly once. Shards append whole lines from their own buffers with one
/// `write` each (`O_APPEND`, so buffers from several threads never interleave inside a line).
public final class LedgerFile: Sendable {
    let fd: Int32
    public let path: String

    public struct OpenError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot open ledger \(path): \(reason)" }
    }

    /// Creates or truncates `path`.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Writes `bytes` whole (retrying short writes).
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

/// A shard's ledger lines waiting to be written; flushed when 64 KiB are buffered, at every
/// progress tick and at the end, so a crash of the generator itself loses at most that.
struct LedgerBuffer {
    let file: LedgerFile?
    private(set) var bytes: [UInt8] = []
    static let flushBytes = 64 * 1024

    init(file: LedgerFile?) {
        self.file = file
        if file != nil { bytes.reserveCapacity(Self.flushBytes + 128) }
    }

    /// `device,time_ms\n`.
    mutating func append(device: [UInt8], timeMs: Int64) {
        guard file != nil else { return }
        bytes.append(contentsOf: device)
        bytes.append(UInt8(ascii: ","))
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = timeMs.magnitude
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(0x30 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            if timeMs < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: d[(20 - n)...])
        }
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= Self.flushBytes { flush() }
    }

    mutating func flush() {
        guard let file, !bytes.isEmpty else { return }
        file.append(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
