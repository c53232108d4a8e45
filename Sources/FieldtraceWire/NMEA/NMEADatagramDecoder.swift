import FieldtraceCore

/// NMEA 0183 over UDP: each `consume` call is one whole datagram.
///
/// A datagram stands alone: it must name its device with `$PGID` before its data sentences
/// (which are otherwise rejected as `no_identity`), and its pending epoch is emitted at its
/// end. Its last line needs no `\n`. Lines longer than `WireLimits.nmeaSentenceMaxBytes` are
/// rejected as `too_long` and skipped to the next `\n`. Nothing is buffered between
/// datagrams except the date: the last RMC/ZDA date is kept for the device that sent it, so
/// a later GGA-only datagram from the same device is dated (with the midnight wrap), while
/// a datagram from another device starts without a date.
public struct NMEADatagramDecoder: WireDecoder {
    public static let wireProtocol = WireProtocol.nmea

    var session: NMEASession
    /// Longest line, `$` through `\n` (an unterminated last line counts as if terminated).
    let maxLineBytes: Int

    public init(configuration: WireConfiguration) {
        session = NMEASession(configuration: configuration, closeOnRefusal: false)
        maxLineBytes = max(8, configuration.limits.nmeaSentenceMaxBytes)
    }

    /// The identity named by the last datagram's `$PGID`, if it had a valid one.
    public var identity: DeviceID? { session.identity }

    /// The token of the last datagram's `$PGID`, if it carried one (a device secret).
    public var identityToken: [UInt8]? { session.identityToken }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        session.setReceived(receivedMs)
        session.identity = nil
        session.identityToken = nil
        let count = bytes.count
        var i = 0
        while i < count {
            let limit = min(count, i &+ maxLineBytes)
            let scan = NMEAFraming.scanLine(bytes, from: i, limit: limit)
            let line = UnsafeRawBufferPointer(rebasing: bytes[i..<scan.end])
            if scan.foundNewline {
                session.line(line, scan: scan, offset: i, into: &output)
                i = scan.end &+ 1
            } else if limit &- i == maxLineBytes {
                output.counters.frames &+= 1
                session.reject(.tooLong, bytes: line, offset: i, into: &output)
                guard let nl = NMEAFraming.newline(in: bytes, from: limit, to: count) else { break }
                i = nl &+ 1
            } else {
                // The datagram's last line, without `\n`.
                session.line(line, scan: scan, offset: i, into: &output)
                break
            }
        }
        session.closeEpoch(into: &output)
    }

    /// Nothing is pending between datagrams.
    public mutating func finish(into output: inout WireOutput) {
        session.closeEpoch(into: &output)
    }
}
