#if canImport(Glibc)
    import Glibc
#endif

/// Buffered writing to standard output and error without Foundation.
enum CLIOutput {
    static func standardError(_ text: String) {
        writeAll(fd: 2, Array(text.utf8))
    }

    /// Writes every byte to a file descriptor, retrying short writes.
    static func writeAll(fd: Int32, _ bytes: [UInt8]) {
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

    /// Reads a whole file, or standard input for `-`; throws `CLIError.unreadable`.
    static func readAll(_ path: String) throws -> [UInt8] {
        let file: UnsafeMutablePointer<FILE>?
        if path == "-" {
            file = fdopen(0, "rb")
        } else {
            var info = stat()
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                throw CLIError.unreadable(path, "is a directory")
            }
            file = fopen(path, "rb")
        }
        guard let file else { throw CLIError.unreadable(path, String(cString: strerror(errno))) }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 { throw CLIError.unreadable(path, "read error") }
                break
            }
        }
        return out
    }
}

/// A buffer flushed to a `FILE` when it passes a threshold.
struct BufferedWriter {
    var buffer: [UInt8] = []
    let fd: Int32
    let flushBytes = 1 << 20

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(flushBytes + 4096)
    }

    mutating func flushIfFull() {
        if buffer.count >= flushBytes { flush() }
    }

    mutating func flush() {
        CLIOutput.writeAll(fd: fd, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

enum CLIError: Error, CustomStringConvertible {
    case unreadable(String, String)
    var description: String {
        switch self {
        case .unreadable(let path, let why): "cannot read \(path): \(why)"
        }
    }
}
