import FieldtraceCore

/// NMEA 0183 over a byte stream (a TCP connection): lines of sentences, `$PGID` identity
/// first, sentences of one UTC time merged into one fix (see `NMEASession`).
///
/// Framing: a line ends with `\n` (a `\r` before it is dropped). Whole lines are parsed in
/// place from the received bytes; only a line split across `consume` calls is copied, into a
/// buffer allocated once with `WireLimits.nmeaSentenceMaxBytes` of capacity that never grows.
/// A line longer than the cap (`$` through `\n`) is rejected as `too_long` as soon as the cap
/// is passed, and its remaining bytes are skipped up to the next `\n` without being buffered.
/// A partial line still buffered when the stream finishes is rejected as `incomplete`; a
/// pending epoch is emitted.
///
/// Steady state allocates nothing per sentence: the cost is one pass over the line 8 bytes
/// per step (newline and checksum at once, `NMEAFraming.scanLine`) and one pass over
/// the fields it needs.
public struct NMEADecoder: WireDecoder {
    public static let wireProtocol = WireProtocol.nmea

    var session: NMEASession
    /// The unfinished line carried over from the previous call (capacity `maxLineBytes`).
    var partial: [UInt8]
    /// Stream offset where `partial` starts.
    var partialOffset = 0
    /// Inside a too-long line: skip to the next `\n`.
    var discarding = false
    /// Bytes consumed so far (offsets in rejections).
    var streamOffset = 0
    let maxLineBytes: Int

    public init(configuration: WireConfiguration) {
        session = NMEASession(configuration: configuration, closeOnRefusal: true)
        maxLineBytes = max(8, configuration.limits.nmeaSentenceMaxBytes)
        partial = []
        partial.reserveCapacity(maxLineBytes)
    }

    /// The identity the stream established with `$PGID`; kept until the stream closes.
    public var identity: DeviceID? { session.identity }

    /// The token of the stream's `$PGID`, if it carried one (a device secret: never log it).
    public var identityToken: [UInt8]? { session.identityToken }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        let count = bytes.count
        guard count > 0 else { return }
        session.setReceived(receivedMs)
        let base = streamOffset
        streamOffset &+= count
        var i = 0
        if discarding {
            guard let nl = NMEAFraming.newline(in: bytes, from: 0, to: count) else { return }
            discarding = false
            i = nl &+ 1
        } else if !partial.isEmpty {
            let room = maxLineBytes &- partial.count
            if let nl = NMEAFraming.newline(in: bytes, from: 0, to: min(count, room)) {
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<nl]))
                partial.withUnsafeBytes { line in
                    let scan = NMEAFraming.scanLine(line, from: 0, limit: line.count)
                    session.line(line, scan: scan, offset: partialOffset, into: &output)
                }
                partial.removeAll(keepingCapacity: true)
                i = nl &+ 1
            } else if count < room {
                partial.append(contentsOf: bytes)
                return
            } else {
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<room]))
                output.counters.frames &+= 1
                partial.withUnsafeBytes { session.reject(.tooLong, bytes: $0, offset: partialOffset, into: &output) }
                partial.removeAll(keepingCapacity: true)
                guard let nl = NMEAFraming.newline(in: bytes, from: room, to: count) else {
                    discarding = true
                    return
                }
                i = nl &+ 1
            }
        }
        while i < count {
            let limit = min(count, i &+ maxLineBytes)
            let scan = NMEAFraming.scanLine(bytes, from: i, limit: limit)
            if scan.foundNewline {
                let line = UnsafeRawBufferPointer(rebasing: bytes[i..<scan.end])
                session.line(line, scan: scan, offset: base &+ i, into: &output)
                i = scan.end &+ 1
            } else if limit &- i == maxLineBytes {
                output.counters.frames &+= 1
                let head = UnsafeRawBufferPointer(rebasing: bytes[i..<limit])
                session.reject(.tooLong, bytes: head, offset: base &+ i, into: &output)
                guard let nl = NMEAFraming.newline(in: bytes, from: limit, to: count) else {
                    discarding = true
                    return
                }
                i = nl &+ 1
            } else {
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<count]))
                partialOffset = base &+ i
                return
            }
        }
    }

    public mutating func finish(into output: inout WireOutput) {
        if !partial.isEmpty {
            output.counters.frames &+= 1
            let error = WireError(.incomplete, protocol: .nmea, offset: partialOffset, bytes: partial)
            output.reject(error, limit: session.maxRejectionsKept)
            partial.removeAll(keepingCapacity: true)
        }
        discarding = false
        session.closeEpoch(into: &output)
    }
}
