/// How a signed residual (a value minus its prediction) is turned into range-coder decisions:
///
/// 1. its bit length `b` (0 for zero, 1...64), as a 6-bit binary tree of adaptive decisions
///    (63 stands for 63 or 64, told apart by one more bit);
/// 2. the two bits below the leading one, adaptive, in the context of `b` (within a length
///    class, small magnitudes are more likely for noise-like residuals);
/// 3. the remaining low bits at probability one half (they are noise);
/// 4. the sign, adaptive.
///
/// This is close to the entropy of the residuals (within 0.1 bit on the simulated fleet's
/// GPS noise) at any scale, and needs no parameters in the segment.
///
/// A model has `contexts` independent sets of probabilities; the caller picks the context of
/// each residual (e.g. standing or turning) from values already coded.
struct ResidualModel {
    /// Probabilities per context: 64 for the length tree (index 1...63), 4 per length for the
    /// top mantissa bits (lengths 0...64), 1 for the sign, 1 for the escape bit.
    static let perContext = 64 + 65 * 4 + 2
    private static let mantissaBase = 64
    private static let signIndex = 64 + 65 * 4
    private static let escapeIndex = signIndex + 1

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
        let code = min(length, 63)
        var node = 1
        for shift in stride(from: 5, through: 0, by: -1) {
            let bit = (code >> shift) & 1 != 0
            sink.bit(bit, &base[node])
            node = node << 1 | (bit ? 1 : 0)
        }
        if code == 63 { sink.bit(length == 64, &base[escapeIndex]) }
        if length >= 2 {
            let below = length - 1
            let k = min(2, below)
            let top = Int((magnitude >> UInt64(below - k)) & ((1 << UInt64(k)) - 1))
            let m = base + mantissaBase + length * 4
            var mnode = 1
            for shift in stride(from: k - 1, through: 0, by: -1) {
                let bit = (top >> shift) & 1 != 0
                sink.bit(bit, &m[mnode])
                mnode = mnode << 1 | (bit ? 1 : 0)
            }
            sink.direct(magnitude, count: below - k)
        }
        if magnitude != 0 { sink.bit(residual < 0, &base[signIndex]) }
    }

    /// Decodes a residual coded by `encode` in the same context. Any input gives some value.
    @inline(__always)
    static func decode(
        context: Int, probabilities p: UnsafeMutablePointer<UInt32>, from decoder: inout RangeDecoder
    ) -> Int64 {
        let base = p + context * perContext
        var node = 1
        for _ in 0..<6 { node = node << 1 | (decoder.bit(&base[node]) ? 1 : 0) }
        var length = node - 64
        if length == 63 && decoder.bit(&base[escapeIndex]) { length = 64 }
        guard length > 0 else { return 0 }
        var magnitude: UInt64 = 1
        if length >= 2 {
            let below = length - 1
            let k = min(2, below)
            let m = base + mantissaBase + length * 4
            var mnode = 1
            for _ in 0..<k { mnode = mnode << 1 | (decoder.bit(&m[mnode]) ? 1 : 0) }
            magnitude = UInt64(mnode)  // the leading one and the k top bits
            magnitude = magnitude << UInt64(below - k) | decoder.direct(count: below - k)
        }
        let negative = decoder.bit(&base[signIndex])
        let value = Int64(bitPattern: magnitude)
        return negative ? 0 &- value : value
    }
}
