/// Builds the platform's JT/T 808 frames (replies), checked and escaped, in one buffer allocated
/// by the first reply that needs it and reused: no allocation per reply. The general reply
/// (0x8001, nearly every reply) is built in a 32-byte template instead, so most connections never
/// allocate the buffer.
///
/// A reply answers in the edition of the message it answers: a 2019 header (bit 14, the
/// terminal's protocol version byte, its 10-byte phone number) to a 2019 terminal, a 2013 header
/// otherwise. Every frame carries the platform's own message serial, which starts at 0 per
/// connection and goes up by one per frame, wrapping after 65535.
struct JT808FrameWriter {
    /// The platform serial the next frame gets.
    private(set) var serial: UInt16 = 0
    /// Header, body and check un-escaped, then the escaped frame (`storageBytes`); empty until
    /// the first frame `write` builds, then as large as the largest one.
    private var storage: [UInt8] = []

    /// The longest un-escaped frame: a 2019 header, a 1023-byte body and the check byte.
    static let plainCapacity = 17 + 0x03FF + 1

    init() {}

    /// Bytes `storage` needs for a frame of `plainCount` un-escaped bytes before the check byte:
    /// those and the check, then the escaped frame (every byte may double) between two `0x7E`.
    static func storageBytes(plainCount: Int) -> Int { (plainCount + 1) + 2 * (plainCount + 1) + 2 }

    /// The fast path for `0x8001`: `0x7E` and the reply header up to the serial (id, attributes,
    /// version, phone number) for the last terminal answered, with its XOR, in `template`. The
    /// variable tail (serial, reply serial, reply id, result, check) is one 64-bit word; when no
    /// byte of the prefix or the tail needs escaping (nearly always) the frame is two stores.
    private var template = [UInt8](repeating: 0, count: 32)
    /// The terminal the template is for: phone number, protocol version, 2019 flag (0 when there
    /// is no template yet: no header has a version byte of 0 with bit 14 set and no phone).
    private var templatePhone = JT808Phone(high: 0, low: 0, byteCount: 0)
    private var templateEdition: UInt16 = 0xFFFF
    private var templateBytes = 0
    private var templateCheck: UInt8 = 0
    private var templateClean = false

    /// Appends `0x8001` (reply serial, reply id, result) to the message with `header`.
    mutating func writeGeneralReply(to header: JT808Header, result: UInt8, into output: inout WireOutput) {
        let edition = UInt16(header.protocolVersion) | (header.is2019 ? 0x100 : 0)
        if edition != templateEdition || header.phone != templatePhone { buildTemplate(for: header) }
        var tail =
            UInt64(serial) << 48 | UInt64(header.serial) << 32 | UInt64(header.messageID) << 16 | UInt64(result) << 8
        tail |= UInt64(templateCheck ^ JT808Framer.fold(tail))
        let wireTail = tail.bigEndian
        guard templateClean, JT808Framer.flagOrEscapeMask(wireTail) == 0 else {
            write(messageID: 0x8001, to: header, bodyCount: 5, into: &output) { body in
                body.storeBytes(of: header.serial.bigEndian, as: UInt16.self)
                body.storeBytes(of: header.messageID.bigEndian, toByteOffset: 2, as: UInt16.self)
                body.storeBytes(of: result, toByteOffset: 4, as: UInt8.self)
            }
            return
        }
        serial &+= 1
        let end = templateBytes + 9
        template.withUnsafeMutableBytes { p in
            guard let base = p.baseAddress, end <= p.count else { return }
            base.storeBytes(of: wireTail, toByteOffset: templateBytes, as: UInt64.self)
            base.storeBytes(of: 0x7E, toByteOffset: templateBytes + 8, as: UInt8.self)
            output.appendReply(UnsafeRawBufferPointer(rebasing: p[0..<end]).assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func buildTemplate(for header: JT808Header) {
        var bytes: [UInt8] = [0x7E, 0x80, 0x01, header.is2019 ? 0x40 : 0x00, 0x05]
        if header.is2019 { bytes.append(header.protocolVersion) }
        header.phone.append(to: &bytes)
        for (i, b) in bytes.enumerated() { template[i] = b }
        templateBytes = bytes.count
        templateCheck = bytes.dropFirst().reduce(0, ^)
        templateClean = !bytes.dropFirst().contains { $0 &- 0x7D < 2 }
        templatePhone = header.phone
        templateEdition = UInt16(header.protocolVersion) | (header.is2019 ? 0x100 : 0)
    }

    /// Header bytes of a frame addressed like `header` (never split).
    static func headerBytes(for header: JT808Header) -> Int { header.is2019 ? 17 : 12 }

    /// Appends one frame with `messageID`, addressed like `header` (same edition and phone
    /// number), whose `bodyCount`-byte body `body` writes at the pointer it is given.
    mutating func write(
        messageID: UInt16, to header: JT808Header, bodyCount: Int, into output: inout WireOutput,
        body: (UnsafeMutableRawPointer) -> Void
    ) {
        precondition(bodyCount >= 0 && bodyCount <= 0x03FF, "a reply body holds at most 1,023 bytes")
        let serial = self.serial
        self.serial &+= 1
        let headerBytes = Self.headerBytes(for: header)
        let attributes = UInt16(bodyCount) | (header.is2019 ? 0x4000 : 0)
        let plainCount = headerBytes + bodyCount
        let needed = Self.storageBytes(plainCount: plainCount)
        if storage.count < needed { storage.append(contentsOf: repeatElement(0, count: needed - storage.count)) }
        storage.withUnsafeMutableBytes { p in
            guard let base = p.baseAddress else { return }
            base.storeBytes(of: messageID.bigEndian, toByteOffset: 0, as: UInt16.self)
            base.storeBytes(of: attributes.bigEndian, toByteOffset: 2, as: UInt16.self)
            var o = 4
            if header.is2019 {
                p[4] = header.protocolVersion
                o = 5
            }
            // 8 bytes even for a 6-byte number: the serial overwrites the 2 extra.
            base.storeBytes(of: header.phone.high.bigEndian, toByteOffset: o, as: UInt64.self)
            if header.phone.byteCount == 10 {
                base.storeBytes(of: header.phone.low.bigEndian, toByteOffset: o + 8, as: UInt16.self)
            }
            o += header.phone.byteCount
            base.storeBytes(of: serial.bigEndian, toByteOffset: o, as: UInt16.self)
            body(base + headerBytes)
            let end = Self.escape(p, plainCount: plainCount)
            let frame = UnsafeRawBufferPointer(rebasing: p[(plainCount + 1)..<end])
            output.appendReply(frame.assumingMemoryBound(to: UInt8.self))  // typed: appended by one copy
        }
    }

    /// Adds the check byte after `plainCount` bytes and writes the escaped, delimited frame right
    /// after it (at `plainCount + 1`); returns where it ends. Checks and copies eight bytes at a time: a reply
    /// with no `0x7D` or `0x7E` in it (most) is one copy.
    private static func escape(_ p: UnsafeMutableRawBufferPointer, plainCount: Int) -> Int {
        let wireOffset = plainCount + 1
        guard let base = p.baseAddress, p.count >= storageBytes(plainCount: plainCount) else { return wireOffset }
        var check: UInt8 = 0
        var wide: UInt64 = 0
        var special = false
        var i = 0
        while i + 8 <= plainCount {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            wide ^= w
            special = special || JT808Framer.hasFlagOrEscape(w)
            i += 8
        }
        while i < plainCount {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            check ^= b
            special = special || b &- 0x7D < 2
            i += 1
        }
        check ^= JT808Framer.fold(wide)
        base.storeBytes(of: check, toByteOffset: plainCount, as: UInt8.self)
        special = special || check &- 0x7D < 2
        var o = wireOffset
        base.storeBytes(of: 0x7E, toByteOffset: o, as: UInt8.self)
        o += 1
        if special {
            for k in 0...plainCount {
                let b = base.load(fromByteOffset: k, as: UInt8.self)
                if b &- 0x7D < 2 {
                    base.storeBytes(of: 0x7D, toByteOffset: o, as: UInt8.self)
                    base.storeBytes(of: b == 0x7D ? 0x01 : 0x02, toByteOffset: o + 1, as: UInt8.self)
                    o += 2
                } else {
                    base.storeBytes(of: b, toByteOffset: o, as: UInt8.self)
                    o += 1
                }
            }
        } else {
            (base + o).copyMemory(from: base, byteCount: plainCount + 1)
            o += plainCount + 1
        }
        base.storeBytes(of: 0x7E, toByteOffset: o, as: UInt8.self)
        return o + 1
    }
}
