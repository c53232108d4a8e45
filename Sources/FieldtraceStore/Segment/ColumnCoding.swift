/// How a column's integers are transformed before bit packing. The encoder tries each allowed
/// transform and keeps the smallest result, so a stationary worker's jittering position
/// (delta wins) and a vehicle at steady speed (delta-of-delta wins) both pack tightly.
enum ColumnTransform: UInt8 {
    case raw = 0
    case delta = 1
    case deltaOfDelta = 2
    /// Delta or delta-of-delta chosen per block (flag bit of the block's width byte): a track
    /// at 0.1 Hz alternates between standing (delta wins) and driving (delta-of-delta wins)
    /// within one segment.
    case adaptive = 3

    /// Leading values stored as varints outside the packed blocks, so that one large first
    /// value does not widen a whole block.
    var heads: Int {
        switch self {
        case .raw: 0
        case .delta: 1
        case .deltaOfDelta, .adaptive: 2
        }
    }
}

enum ColumnCoding {
    /// Encodes `values` with the best of `transforms`.
    static func encode(_ values: [Int64], transforms: [ColumnTransform], into out: inout ByteWriter) {
        var best: ByteWriter?
        var scratch = [Int64](repeating: 0, count: values.count)
        for transform in transforms {
            var candidate = ByteWriter(capacity: values.count * 2 + 16)
            encode(values, transform: transform, scratch: &scratch, into: &candidate)
            if best == nil || candidate.bytes.count < best!.bytes.count { best = candidate }
        }
        out.append(best!.bytes)
    }

    static func encode(
        _ values: [Int64], transform: ColumnTransform, scratch: inout [Int64], into out: inout ByteWriter
    ) {
        out.u8(transform.rawValue)
        let n = values.count
        var m = 0
        switch transform {
        case .adaptive:
            encodeAdaptive(values, into: &out)
            return
        case .raw:
            for v in values {
                scratch[m] = v
                m += 1
            }
        case .delta:
            if n > 0 { out.varint(ZigZag.encode(values[0])) }
            for i in stride(from: 1, to: n, by: 1) {
                scratch[m] = values[i] &- values[i - 1]
                m += 1
            }
        case .deltaOfDelta:
            if n > 0 { out.varint(ZigZag.encode(values[0])) }
            if n > 1 { out.varint(ZigZag.encode(values[1] &- values[0])) }
            for i in stride(from: 2, to: n, by: 1) {
                scratch[m] = (values[i] &- values[i - 1]) &- (values[i - 1] &- values[i - 2])
                m += 1
            }
        }
        scratch.withUnsafeBufferPointer { BlockPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<m]), into: &out) }
    }

    static func encodeAdaptive(_ values: [Int64], into out: inout ByteWriter) {
        let n = values.count
        if n > 0 { out.varint(ZigZag.encode(values[0])) }
        if n > 1 { out.varint(ZigZag.encode(values[1] &- values[0])) }
        var delta = [Int64](repeating: 0, count: BlockPacking.blockSize)
        var dod = [Int64](repeating: 0, count: BlockPacking.blockSize)
        var a = ByteWriter(capacity: 300)
        var b = ByteWriter(capacity: 300)
        var start = 2
        while start < n {
            let end = min(n, start + BlockPacking.blockSize)
            for i in start..<end {
                let d = values[i] &- values[i - 1]
                delta[i - start] = d
                dod[i - start] = d &- (values[i - 1] &- values[i - 2])
            }
            a.bytes.removeAll(keepingCapacity: true)
            b.bytes.removeAll(keepingCapacity: true)
            delta.withUnsafeBufferPointer {
                BlockPacking.packBlock(UnsafeBufferPointer(rebasing: $0[0..<(end - start)]), flag: false, into: &a)
            }
            dod.withUnsafeBufferPointer {
                BlockPacking.packBlock(UnsafeBufferPointer(rebasing: $0[0..<(end - start)]), flag: true, into: &b)
            }
            out.append(b.bytes.count < a.bytes.count ? b.bytes : a.bytes)
            start = end
        }
    }

    static func decodeAdaptive(
        count: Int, from reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Int64>
    ) throws(PackingError) {
        guard count > 0 else { return }
        let out = output.baseAddress!
        out[0] = ZigZag.decode(try reader.varint())
        guard count > 1 else { return }
        out[1] = out[0] &+ ZigZag.decode(try reader.varint())
        var start = 2
        while start < count {
            let n = min(count - start, BlockPacking.blockSize)
            let isDeltaOfDelta = try BlockPacking.unpackBlock(count: n, from: &reader, into: out + start)
            if isDeltaOfDelta {
                for i in start..<(start + n) { out[i] = out[i] &+ (out[i - 1] &+ (out[i - 1] &- out[i - 2])) }
            } else {
                for i in start..<(start + n) { out[i] = out[i] &+ out[i - 1] }
            }
            start += n
        }
    }

    /// Decodes `count` values into `output`.
    static func decode(
        count: Int, from reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Int64>
    ) throws(PackingError) {
        guard let transform = ColumnTransform(rawValue: try reader.u8()) else {
            throw .malformed("column transform")
        }
        if transform == .adaptive {
            try decodeAdaptive(count: count, from: &reader, into: output)
            return
        }
        let heads = min(transform.heads, count)
        for i in 0..<heads {
            output[i] = ZigZag.decode(try reader.varint())
        }
        try BlockPacking.unpack(
            count: count - heads, from: &reader,
            into: UnsafeMutableBufferPointer(rebasing: output[heads..<count]))
        switch transform {
        case .raw, .adaptive:
            break
        case .delta:
            var i = 1
            while i < count {
                output[i] = output[i - 1] &+ output[i]
                i += 1
            }
        case .deltaOfDelta:
            guard count > 1 else { break }
            var d = output[1]
            output[1] = output[0] &+ d
            var i = 2
            while i < count {
                d = d &+ output[i]
                output[i] = output[i - 1] &+ d
                i += 1
            }
        }
    }
}

/// Which entries of an optional column are present: none (0), all (1), or a bitmap (2).
enum Presence {
    static func encode(_ present: [Bool], into out: inout ByteWriter) {
        if present.allSatisfy({ !$0 }) {
            out.u8(0)
        } else if present.allSatisfy({ $0 }) {
            out.u8(1)
        } else {
            out.u8(2)
            var byte: UInt8 = 0
            for (i, p) in present.enumerated() {
                if p { byte |= 1 << UInt8(i & 7) }
                if i & 7 == 7 {
                    out.u8(byte)
                    byte = 0
                }
            }
            if present.count & 7 != 0 { out.u8(byte) }
        }
    }
}

/// Units a stored column may turn out to be a whole multiple of. Protocols carry coarse units
/// (whole metres of altitude, whole degrees of course, 0.1 km/h of speed), which the storage
/// resolution represents with spare digits; finding the unit makes the packed deltas small.
/// A unit is used only when every value maps back exactly: `v == round(round(v / u) * u)`.
/// Index 0 is "no unit". The table is part of the format: append, never reorder.
enum ColumnUnit {
    static let table: [Double] = [
        1,  // 0: none
        10, 100, 1000,  // 1-3: decimal steps
        1000 / 3.6, 1000 / 36,  // 4-5: 1 and 0.1 km/h in mm/s
        1852 / 3.6, 185.2 / 3.6, 18.52 / 3.6,  // 6-8: 1, 0.1, 0.01 knot in mm/s
    ]

    /// Whole-number units multiply exactly in integers; others use `fractional` below.
    static let integral: [Int64] = table.map { $0 == $0.rounded() ? Int64($0) : 0 }

    /// The coarsest unit among `candidates` (table indices) that maps every value exactly.
    static func choose(_ values: [Int64], candidates: [Int]) -> Int {
        var best = 0
        for index in candidates where table[index] > table[best] {
            if values.allSatisfy({ expand(reduce($0, index), index) == $0 }) { best = index }
        }
        return best
    }

    @inline(__always) static func reduce(_ v: Int64, _ index: Int) -> Int64 {
        index == 0 ? v : Int64((Double(v) / table[index]).rounded())
    }

    /// `r` units back to storage units. Used by both the encoder's exactness check and the
    /// decoder, so the two always agree; no libm call (this runs once per decoded value).
    @inline(__always) static func expand(_ r: Int64, _ index: Int) -> Int64 {
        let whole = integral[index]
        if whole != 0 { return r &* whole }
        let x = Double(r) * table[index]
        guard abs(x) < 9e18 else { return 0 }
        return Int64(x + (x >= 0 ? 0.5 : -0.5))
    }
}
