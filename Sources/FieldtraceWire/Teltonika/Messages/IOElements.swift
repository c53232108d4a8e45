import FieldtraceCore

/// The value of one Teltonika IO element, typed by the group it came in.
public enum TeltonikaIOValue: Sendable, Hashable {
    /// A value of the 1-byte group.
    case u8(UInt8)
    /// A value of the 2-byte group.
    case u16(UInt16)
    /// A value of the 4-byte group.
    case u32(UInt32)
    /// A value of the 8-byte group.
    case u64(UInt64)
    /// A value of the variable-length group (Codec 8E only), e.g. an ICCID or a BLE payload.
    case bytes([UInt8])

    /// The value as an unsigned integer, for the fixed-size groups; `nil` for `.bytes`.
    public var integer: UInt64? {
        switch self {
        case .u8(let v): UInt64(v)
        case .u16(let v): UInt64(v)
        case .u32(let v): UInt64(v)
        case .u64(let v): v
        case .bytes: nil
        }
    }
}

/// Receives the IO elements of one record as `TeltonikaIO.walk` checks them.
protocol TeltonikaIOVisitor {
    /// Whether the visitor looks at values at all. A visitor that does not (the fix path) lets
    /// the walk skip each fixed-size group with one bounds check.
    static var wantsValues: Bool { get }
    /// One element of a fixed-size group: `size` is 1, 2, 4 or 8 bytes.
    mutating func visit(id: UInt16, size: Int, value: UInt64)
    /// One element of the variable-length group (borrowed bytes: copy to keep them).
    mutating func visit(id: UInt16, bytes: UnsafeRawBufferPointer)
}

/// The fix path's visitor: looks at nothing, so the walk only checks bounds and counts.
struct TeltonikaIOSkipper: TeltonikaIOVisitor {
    static var wantsValues: Bool { false }
    func visit(id: UInt16, size: Int, value: UInt64) {}
    func visit(id: UInt16, bytes: UnsafeRawBufferPointer) {}
}

/// The parse API's visitor: collects every element into a typed map (a later duplicate id wins).
struct TeltonikaIOCollector: TeltonikaIOVisitor {
    static var wantsValues: Bool { true }
    var elements: [UInt16: TeltonikaIOValue] = [:]

    mutating func visit(id: UInt16, size: Int, value: UInt64) {
        switch size {
        case 1: elements[id] = .u8(UInt8(truncatingIfNeeded: value))
        case 2: elements[id] = .u16(UInt16(truncatingIfNeeded: value))
        case 4: elements[id] = .u32(UInt32(truncatingIfNeeded: value))
        default: elements[id] = .u64(value)
        }
    }

    mutating func visit(id: UInt16, bytes: UnsafeRawBufferPointer) { elements[id] = .bytes(Array(bytes)) }
}

/// The IO element block that ends every record.
///
/// Codec 8: event IO id (1), total count (1), then the 1-, 2-, 4- and 8-byte groups, each a
/// count (1) followed by that many (id (1), value). Codec 8E: ids and counts are 2 bytes, and a
/// fifth group of variable-length values follows: count (2), then (id (2), length (2), bytes).
/// The total must equal the sum of the group counts.
enum TeltonikaIO {
    /// Walks the block at the cursor, checking every count and length against the bytes present
    /// (nothing is allocated from a declared length), and returns the event IO id. O(elements).
    @inline(__always)
    static func walk<V: TeltonikaIOVisitor>(
        _ cursor: inout ByteCursor, codec: TeltonikaCodec, visitor: inout V
    ) throws(TeltonikaError) -> UInt16 {
        let counts: (eventID: UInt16, total: Int, seen: Int)
        do {
            counts = try walkGroups(&cursor, wide: codec == .codec8E, visitor: &visitor)
        } catch {
            throw TeltonikaError(error)
        }
        guard counts.seen == counts.total else {
            throw .badLength("IO total count \(counts.total) but the groups hold \(counts.seen)")
        }
        return counts.eventID
    }

    @inline(__always)
    private static func walkGroups<V: TeltonikaIOVisitor>(
        _ cursor: inout ByteCursor, wide: Bool, visitor: inout V
    ) throws(ByteCursorError) -> (eventID: UInt16, total: Int, seen: Int) {
        let eventID = wide ? try cursor.readUInt16() : UInt16(try cursor.readUInt8())
        let total = wide ? Int(try cursor.readUInt16()) : Int(try cursor.readUInt8())
        var seen = try group(&cursor, wide: wide, size: 1, visitor: &visitor)
        seen += try group(&cursor, wide: wide, size: 2, visitor: &visitor)
        seen += try group(&cursor, wide: wide, size: 4, visitor: &visitor)
        seen += try group(&cursor, wide: wide, size: 8, visitor: &visitor)
        if wide {
            let count = Int(try cursor.readUInt16())
            for _ in 0..<count {
                let id = try cursor.readUInt16()
                let length = Int(try cursor.readUInt16())
                let bytes = try cursor.readBytes(length)
                if V.wantsValues { visitor.visit(id: id, bytes: bytes) }
            }
            seen += count
        }
        return (eventID, total, seen)
    }

    /// One fixed-size group: returns its element count.
    @inline(__always)
    private static func group<V: TeltonikaIOVisitor>(
        _ cursor: inout ByteCursor, wide: Bool, size: Int, visitor: inout V
    ) throws(ByteCursorError) -> Int {
        let count = wide ? Int(try cursor.readUInt16()) : Int(try cursor.readUInt8())
        let idBytes = wide ? 2 : 1
        guard V.wantsValues else {
            try cursor.skip(count * (idBytes + size))
            return count
        }
        for _ in 0..<count {
            let id = wide ? try cursor.readUInt16() : UInt16(try cursor.readUInt8())
            let value: UInt64
            switch size {
            case 1: value = UInt64(try cursor.readUInt8())
            case 2: value = UInt64(try cursor.readUInt16())
            case 4: value = UInt64(try cursor.readUInt32())
            default: value = try cursor.readUInt64()
            }
            visitor.visit(id: id, size: size, value: value)
        }
        return count
    }
}
