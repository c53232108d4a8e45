import FieldtraceCore

/// The AVL codecs this decoder reads.
public enum TeltonikaCodec: UInt8, Sendable, Hashable {
    /// Codec 8: 1-byte IO ids and counts.
    case codec8 = 0x08
    /// Codec 8 Extended: 2-byte IO ids and counts, plus variable-length IO values.
    case codec8E = 0x8E
}

/// AVL data: codec id (1), record count (1), records, record count again (1). On TCP it sits
/// between the data length and the CRC; on UDP it follows the IMEI.
///
/// `parse` is the public API for consumers that need the IO elements (a typed map per record);
/// the decoders use `appendFixes`, which only bounds-checks and skips them and allocates nothing.
public struct TeltonikaAVLPacket: Sendable, Hashable {
    public var codec: TeltonikaCodec
    public var records: [TeltonikaRecord]

    public init(codec: TeltonikaCodec, records: [TeltonikaRecord]) {
        self.codec = codec
        self.records = records
    }

    /// Parses AVL data (codec id through the second record count, nothing after it).
    public static func parse(avlData: UnsafeRawBufferPointer) throws(TeltonikaError) -> TeltonikaAVLPacket {
        var records: [TeltonikaRecord] = []
        let codec = try walk(avlData, visitor: TeltonikaIOCollector()) { head, eventID, io in
            records.append(
                TeltonikaRecord(
                    timestampMs: head.timestampMs, priority: head.priority, longitudeE7: head.longitudeE7,
                    latitudeE7: head.latitudeE7, altitudeM: head.altitudeM, angleDeg: head.angleDeg,
                    satellites: head.satellites, speedKmh: head.speedKmh, eventIOID: eventID, io: io.elements))
        }.codec
        return TeltonikaAVLPacket(codec: codec, records: records)
    }

    public static func parse(avlData: [UInt8]) throws(TeltonikaError) -> TeltonikaAVLPacket {
        try TeltonikaError.withBytes(avlData) { (raw) throws(TeltonikaError) in try parse(avlData: raw) }
    }

    /// Parses a whole TCP packet (preamble, data length, AVL data, CRC), checking the framing, the
    /// length against `limits` and the CRC.
    public static func parse(
        tcpPacket: [UInt8], limits: WireLimits = .init()
    ) throws(TeltonikaError) -> TeltonikaAVLPacket {
        try TeltonikaError.withBytes(tcpPacket) { (raw) throws(TeltonikaError) in
            let length = try TeltonikaTCPFramer.frameLength(
                raw, expectingIMEI: false, maxPacketBytes: limits.teltonikaPacketMaxBytes)
            guard length <= raw.count else {
                throw .truncated(offset: raw.count, needed: length - raw.count, available: 0)
            }
            guard length == raw.count else { throw .badLength("\(raw.count - length) bytes after the packet") }
            return try parse(avlData: try TeltonikaTCPFramer.checkedAVLData(raw))
        }
    }

    /// Walks AVL data, calling `record` for each record with its head, event IO id and a visitor
    /// (a fresh copy of `visitor`) that saw its IO elements. Checks the codec, every length and
    /// count, the two record counts and that nothing trails them. `record` may have been called
    /// for earlier records when it throws: callers discard what they collected.
    @inline(__always)
    static func walk<V: TeltonikaIOVisitor>(
        _ data: UnsafeRawBufferPointer, visitor: V, record: (TeltonikaRecordHead, UInt16, V) -> Void
    ) throws(TeltonikaError) -> (codec: TeltonikaCodec, count: Int) {
        var cursor = ByteCursor(data)
        let codecID: UInt8
        let count: Int
        do {
            codecID = try cursor.readUInt8()
            count = Int(try cursor.readUInt8())
        } catch {
            throw TeltonikaError(error)
        }
        guard let codec = TeltonikaCodec(rawValue: codecID) else { throw .unknownCodec(codecID) }
        for _ in 0..<count {
            let head = try TeltonikaRecordHead.read(&cursor)
            var io = visitor
            let eventID = try TeltonikaIO.walk(&cursor, codec: codec, visitor: &io)
            record(head, eventID, io)
        }
        let countAgain: Int
        do { countAgain = Int(try cursor.readUInt8()) } catch { throw TeltonikaError(error) }
        guard countAgain == count else { throw .badLength("record count \(count), then \(countAgain)") }
        guard cursor.isAtEnd else { throw .badLength("\(cursor.remaining) bytes after the second record count") }
        return (codec, count)
    }

    /// The fix path: appends one fix per record to `output` and returns the record count (what
    /// the device is acknowledged). A record whose values are out of range (`badTime`,
    /// `badField`) is counted as a rejection and left out, but still acknowledged: its packet is
    /// intact, and a device that is not acknowledged resends the same record forever. When the
    /// packet itself is bad, nothing is appended and the error is thrown.
    @inline(__always)
    static func appendFixes(
        _ data: UnsafeRawBufferPointer, device: DeviceID, receivedMs: Int64, into output: inout WireOutput,
        rejected: (TeltonikaError) -> WireError, rejectionsKept: Int
    ) throws(TeltonikaError) -> Int {
        let fixesBefore = output.fixes.count
        let counterBefore = output.counters.fixes
        var badRecords: [TeltonikaError] = []
        let count: Int
        do throws(TeltonikaError) {
            count = try walk(data, visitor: TeltonikaIOSkipper()) { head, _, _ in
                do throws(TeltonikaError) {
                    output.appendFix(try head.fix(device: device, receivedMs: receivedMs))
                } catch {
                    badRecords.append(error)
                }
            }.count
        } catch {
            output.fixes.removeSubrange(fixesBefore...)
            output.counters.fixes = counterBefore
            throw error
        }
        for error in badRecords { output.reject(rejected(error), limit: rejectionsKept) }
        return count
    }
}
