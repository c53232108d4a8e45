import FieldtraceCore

/// A protocol decoder: framer, parser and reply builder behind one value-type state machine.
///
/// The transport adapter (NIO handler, CLI, test) only forwards bytes: it calls `consume` with
/// what arrived, hands `output.fixes` to `FixSink.accept`, and only when that returns writes
/// `output.replies` to the device (acknowledge after durable). A decoder never throws and never
/// traps on input: every bad frame becomes a counted rejection.
public protocol WireDecoder {
    static var wireProtocol: WireProtocol { get }

    init(configuration: WireConfiguration)

    /// The identity the stream has established (login, IMEI, `$PGID`), if any.
    var identity: DeviceID? { get }

    /// Consumes received bytes. Stream decoders (TCP) buffer a partial frame until more bytes
    /// arrive, up to the protocol's frame cap; datagram decoders (UDP, one HTTP request) treat
    /// each call as one whole unit. `receivedMs` is the server clock at arrival: it is stamped on
    /// the fixes and is the reference for GPS week-rollover and two-digit-year corrections.
    mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput)

    /// The stream ended: a buffered partial frame is counted as `incomplete`, a pending NMEA
    /// epoch is emitted.
    mutating func finish(into output: inout WireOutput)
}

extension WireDecoder {
    /// Consumes bytes from any contiguous collection.
    @inlinable
    public mutating func consume(_ bytes: [UInt8], receivedMs: Int64, into output: inout WireOutput) {
        bytes.withUnsafeBytes { consume($0, receivedMs: receivedMs, into: &output) }
    }
}

/// Settings shared by all decoders.
public struct WireConfiguration: Sendable {
    /// Accept NMEA sentences that carry no `*hh` checksum. Off by default: a checksum-less
    /// sentence on a noisy link is as likely corrupt as not. A sentence that carries a wrong
    /// checksum is rejected either way.
    public var lenientNMEAChecksum = false
    public var limits = WireLimits()
    /// How many `WireError`s an output keeps for logging (the counters count them all).
    public var maxRejectionsKept = 16
    /// Whether a device may send data. Decoders answer a refused device with the protocol's
    /// reject (Teltonika `00`, JT/T 808 result 1, ...). The default accepts every device; the
    /// ingest server plugs its device registry in here.
    public var isDeviceAllowed: @Sendable (DeviceID) -> Bool = { _ in true }
    /// The authentication code a JT/T 808 terminal receives in its `0x8100` registration reply.
    public var jt808AuthCode = "FIELDTRACE"

    public init() {}
}

/// Per-protocol size caps. Every declared length is checked against these before anything is
/// allocated or buffered.
public struct WireLimits: Sendable, Hashable {
    /// Longest NMEA sentence, `$` through `\n`. The standard says 82; receivers with long
    /// proprietary sentences send up to about 100; 128 leaves margin and still stops garbage.
    public var nmeaSentenceMaxBytes = 128
    /// Longest JT/T 808 frame as sent (escaped): a 1023-byte body plus a 2019 header, fully
    /// escaped, is under 2,200 bytes.
    public var jt808FrameMaxBytes = 4096
    /// Longest Teltonika AVL packet. FMB devices send at most 1,280 bytes; Codec 8E with
    /// variable-length IO can be longer. 16 KiB holds every documented device.
    public var teltonikaPacketMaxBytes = 16_384
    /// Longest GT06 frame. Real frames are under 300 bytes; the 0x7979 form could declare 64 KiB.
    public var gt06FrameMaxBytes = 2048
    /// Longest OsmAnd request (query string or JSON body).
    public var osmandRequestMaxBytes = 65_536

    public init() {}
}
