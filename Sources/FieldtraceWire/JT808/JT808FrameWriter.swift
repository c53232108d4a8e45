/// Builds the platform's JT/T 808 frames (replies), escaped and checked, in reused buffers.
///
/// A reply answers in the edition of the message it answers: a 2019 header (bit 14, the
/// terminal's protocol version byte, its 10-byte phone number) to a 2019 terminal, a 2013 header
/// otherwise. Every frame carries the platform's own message serial, which starts at 0 per
/// connection and goes up by one per frame, wrapping after 65535.
struct JT808FrameWriter {
    /// The platform serial the next frame gets.
    private(set) var serial: UInt16 = 0
    /// Header and body of the frame being built, un-escaped.
    private var plain: [UInt8] = []
    /// The escaped frame.
    private var wire: [UInt8] = []

    init() {
        plain.reserveCapacity(64)
        wire.reserveCapacity(128)
    }

    /// Starts a frame with `messageID` addressed like `header` (same edition and phone number).
    mutating func begin(messageID: UInt16, to header: JT808Header) {
        plain.removeAll(keepingCapacity: true)
        appendUInt16(messageID)
        appendUInt16(header.is2019 ? 0x4000 : 0)  // body length patched in `finish`
        if header.is2019 { plain.append(header.protocolVersion) }
        header.phone.append(to: &plain)
        appendUInt16(serial)
        serial &+= 1
    }

    @inline(__always)
    mutating func appendUInt8(_ value: UInt8) { plain.append(value) }

    @inline(__always)
    mutating func appendUInt16(_ value: UInt16) {
        plain.append(UInt8(truncatingIfNeeded: value >> 8))
        plain.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendBytes(_ bytes: some Sequence<UInt8>) { plain.append(contentsOf: bytes) }

    /// Patches the body length, adds the check byte, escapes, and appends the frame to `output`.
    mutating func finish(headerBytes: Int, into output: inout WireOutput) {
        let bodyLength = plain.count - headerBytes
        precondition(bodyLength >= 0 && bodyLength <= 0x03FF, "reply body beyond 1023 bytes")
        plain[2] |= UInt8(truncatingIfNeeded: bodyLength >> 8)
        plain[3] = UInt8(truncatingIfNeeded: bodyLength)
        wire.removeAll(keepingCapacity: true)
        wire.append(0x7E)
        var check: UInt8 = 0
        for b in plain {
            check ^= b
            Self.appendEscaped(b, to: &wire)
        }
        Self.appendEscaped(check, to: &wire)
        wire.append(0x7E)
        output.appendReply(wire)
    }

    /// Header bytes of a frame addressed like `header` (never split).
    static func headerBytes(for header: JT808Header) -> Int { header.is2019 ? 17 : 12 }

    @inline(__always)
    static func appendEscaped(_ b: UInt8, to out: inout [UInt8]) {
        if b &- 0x7D < 2 {
            out.append(0x7D)
            out.append(b == 0x7D ? 0x01 : 0x02)
        } else {
            out.append(b)
        }
    }
}
