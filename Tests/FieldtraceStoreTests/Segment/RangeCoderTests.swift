import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

@testable import FieldtraceStore

@Suite struct RangeCoderTests {
    /// Decisions from skewed and even sources (long runs push carries through many 0xFF bytes),
    /// direct bits of every width and residuals of every length come back exactly, and the
    /// decoder reads exactly the bytes written.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func everythingWrittenIsReadBack(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        enum Op {
            case bit(Bool, Int)
            case direct(UInt64, Int)
            case residual(Int64, Int)
        }
        var ops: [Op] = []
        let skew = [0, 1, 2, 50, 98, 100][Int(seed % 6)]  // percent of ones
        for _ in 0..<(Int(seed % 5) * 700 + 1) {
            switch rng.next() % 3 {
            case 0: ops.append(.bit(Int(rng.next() % 100) < skew, Int(rng.next() % 4)))
            case 1:
                let width = Int(rng.next() % 65)
                ops.append(.direct(width == 64 ? rng.next() : rng.next() & ((1 << UInt64(width)) - 1), width))
            default:
                let edges: [Int64] = [0, 1, -1, .max, .min, .min + 1, 1 << 62, -(1 << 62), 200, -199]
                let r =
                    rng.next() % 4 == 0
                    ? edges[Int(rng.next() % 10)] : Int64(bitPattern: rng.next()) >> (rng.next() % 64)
                ops.append(.residual(r, Int(rng.next() % 3)))
            }
        }
        var encoder = RangeEncoder()
        var states = [UInt32](repeating: AdaptiveBit.initial, count: 4)
        var model = ResidualModel()
        model.reset(contexts: 3)
        model.probabilities.withUnsafeMutableBufferPointer { p in
            for op in ops {
                switch op {
                case .bit(let b, let s): encoder.bit(b, &states[s])
                case .direct(let v, let n): encoder.direct(v, count: n)
                case .residual(let r, let c):
                    ResidualModel.encode(r, context: c, probabilities: p.baseAddress!, into: &encoder)
                }
            }
        }
        let bytes = encoder.finish()
        states = [UInt32](repeating: AdaptiveBit.initial, count: 4)
        model.reset(contexts: 3)
        bytes.withUnsafeBytes { raw in
            var decoder = RangeDecoder(raw)
            model.probabilities.withUnsafeMutableBufferPointer { p in
                for (k, op) in ops.enumerated() {
                    switch op {
                    case .bit(let b, let s): #expect(decoder.bit(&states[s]) == b, "seed \(seed) op \(k)")
                    case .direct(let v, let n): #expect(decoder.direct(count: n) == v, "seed \(seed) op \(k)")
                    case .residual(let r, let c):
                        #expect(
                            ResidualModel.decode(context: c, probabilities: p.baseAddress!, from: &decoder) == r,
                            "seed \(seed) op \(k)")
                    }
                }
            }
            #expect(!decoder.overran && decoder.consumed == bytes.count, "seed \(seed)")
        }
    }

    /// A skewed source costs about its entropy (the adaptive estimate's jitter adds about 5%),
    /// and the cost meter agrees with the coder.
    @Test func compressesToTheEntropyAndTheMeterAgrees() {
        var rng = SeededRandom(seed: 7)
        let bits = (0..<100_000).map { _ in rng.next() % 20 == 0 }  // p(1) = 0.05: 0.286 bit each
        var encoder = RangeEncoder()
        var meter = CostMeter()
        var a = AdaptiveBit.initial
        var b = AdaptiveBit.initial
        for bit in bits {
            encoder.bit(bit, &a)
            meter.bit(bit, &b)
        }
        let written = Double(encoder.finish().count * 8)
        #expect(written < 100_000 * 0.2864 * 1.06)
        #expect(abs(Double(meter.cost) / 256 - written) < written * 0.01)
    }
}
