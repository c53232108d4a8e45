/// How a signed residual (a value minus its prediction) is turned into range-coder decisions:
///
/// 1. its bit length `b` (0 for zero, 1...64): `min(b, 15)` as a 4-level binary tree of
///    adaptive decisions, and for 15 or more `b - 15` as a 6-level tree of its own (residuals
///    that long are rare: a 4-level tree keeps the common case to 4 decisions);
/// 2. the bit below the leading one, adaptive, in the context of `b` (within a length class,
///    smaller magnitudes are more likely for noise-like residuals; a second adaptive bit
///    measured 0.002 bytes per fix better and cost a decision per value);
/// 3. the remaining low bits at probability one half (they are noise);
/// 4. the sign, adaptive.
///
/// This is close to the entropy of the residuals (within 0.1 bit on the simulated fleet's
/// GPS noise) at any scale, and needs no parameters in the segment.
///
/// A model has `contexts` independent sets of probabilities; the caller picks the context of
/// each residual (e.g. standing or turning) from values already coded.
struct ResidualModel {
    /// Probabilities per context: the short length tree (index 1...15), the long one (16 +
    /// 1...63), the mantissa bit per length (80 + 0...64) and the sign (145).
    static let perContext = 146
    private static let longBase = 16
    private static let mantissaBase = 80
    private static let signIndex = 145

    /// Raw storage; see `reset`.
    var probabilities: [UInt32] = []

    /// Fresh probabilities for `contexts` contexts, reusing the storage.
    mutating func reset(contexts: Int) {
        let n = contexts * Self.perContext
        if probabilities.count < n {
            probabilities = [UInt32](repeating: AdaptiveBit.initial, count: n)
        } else {
            probabilities.withUnsafeMutableBufferPointer { p in
                for i in 0..<n { p[i] = AdaptiveBit.initial }
            }
        }
    }

    /// Codes `residual` in `context` into `sink`.
    @inline(__always)
    static func encode<S: BitSink>(
        _ residual: Int64, context: Int, probabilities p: UnsafeMutablePointer<UInt32>, into sink: inout S
    ) {
        let base = p + context * perContext
        let magnitude = residual.magnitude
        let length = magnitude == 0 ? 0 : 64 - magnitude.leadingZeroBitCount
        tree(min(length, 15), levels: 4, base, into: &sink)
        if length >= 15 { tree(length - 15, levels: 6, base + longBase, into: &sink) }
        if length >= 2 {
            let below = length - 1
            sink.bit((magnitude >> UInt64(below - 1)) & 1 != 0, &base[mantissaBase + length])
            sink.direct(magnitude, count: below - 1)
        }
        if magnitude != 0 { sink.bit(residual < 0, &base[signIndex]) }
    }

    @inline(__always)
    private static func tree<S: BitSink>(
        _ value: Int, levels: Int, _ nodes: UnsafeMutablePointer<UInt32>, into sink: inout S
    ) {
        var node = 1
        for shift in stride(from: levels - 1, through: 0, by: -1) {
            let bit = (value >> shift) & 1 != 0
            sink.bit(bit, &nodes[node])
            node = node << 1 | (bit ? 1 : 0)
        }
    }

    /// Decodes a residual coded by `encode` in the same context. Any input gives some value.
    @inline(__always)
    static func decode(
        context: Int, probabilities p: UnsafeMutablePointer<UInt32>, from decoder: inout RangeDecoder
    ) -> Int64 {
        let base = p + context * perContext
        var node = 1
        for _ in 0..<4 { node = node << 1 | (decoder.bit(&base[node]) ? 1 : 0) }
        var length = node - 16
        if length == 15 {
            var long = 1
            for _ in 0..<6 { long = long << 1 | (decoder.bit(&base[longBase + long]) ? 1 : 0) }
            length = min(15 + long - 64, 64)
        }
        guard length > 0 else { return 0 }
        var magnitude: UInt64 = 1
        if length >= 2 {
            let below = length - 1
            magnitude = 2 | (decoder.bit(&base[mantissaBase + length]) ? 1 : 0)
            magnitude = magnitude << UInt64(below - 1) | decoder.direct(count: below - 1)
        }
        let negative = decoder.bit(&base[signIndex])
        let value = Int64(bitPattern: magnitude)
        return negative ? 0 &- value : value
    }
}
