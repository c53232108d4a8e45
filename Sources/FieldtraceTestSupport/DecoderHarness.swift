import FieldtraceCore
import FieldtraceWire

/// What a decoder produced from a whole input: fixes, replies, counters, identity.
public struct DecodeResult: Equatable, Sendable {
    public var fixes: [Fix] = []
    public var replies: [[UInt8]] = []
    public var counters = WireCounters()
    public var identity: DeviceID?
    public var rejections: [WireError] = []
    public var shouldClose = false
}

/// Runs decoders over inputs split in different ways, for framer tests (NIO's
/// `ByteToMessageDecoderVerifier` idea): all at once, one byte at a time, random splits.
public enum DecoderHarness {
    public static let defaultReceivedMs: Int64 = 1_764_400_000_000  // 2025-11-29T07:06:40Z

    /// Feeds `chunks` in order to a fresh decoder, then finishes it.
    public static func run<D: WireDecoder>(
        _ type: D.Type, chunks: [[UInt8]], configuration: WireConfiguration = .init(),
        receivedMs: Int64 = defaultReceivedMs
    ) -> DecodeResult {
        var decoder = D(configuration: configuration)
        var output = WireOutput()
        var result = DecodeResult()
        func collect() {
            result.fixes += output.fixes
            result.replies += output.replies.map(Array.init)
            result.rejections += output.rejections
            if let id = output.identity { result.identity = id }
            result.shouldClose = result.shouldClose || output.shouldClose
            output.clearBatch()
        }
        for chunk in chunks {
            decoder.consume(chunk, receivedMs: receivedMs, into: &output)
            collect()
        }
        decoder.finish(into: &output)
        collect()
        result.counters = output.counters
        if result.identity == nil { result.identity = decoder.identity }
        return result
    }

    /// All at once.
    public static func whole<D: WireDecoder>(
        _ type: D.Type, _ bytes: [UInt8], configuration: WireConfiguration = .init()
    ) -> DecodeResult {
        run(type, chunks: [bytes], configuration: configuration)
    }

    /// One byte per call.
    public static func dripFed<D: WireDecoder>(
        _ type: D.Type, _ bytes: [UInt8], configuration: WireConfiguration = .init()
    ) -> DecodeResult {
        run(type, chunks: bytes.map { [$0] }, configuration: configuration)
    }

    /// Random splits from a seed.
    public static func randomSplits<D: WireDecoder>(
        _ type: D.Type, _ bytes: [UInt8], seed: UInt64, configuration: WireConfiguration = .init()
    ) -> DecodeResult {
        run(type, chunks: split(bytes, seed: seed), configuration: configuration)
    }

    /// Splits bytes into random-length chunks (1 to 64 bytes, sometimes empty).
    public static func split(_ bytes: [UInt8], seed: UInt64) -> [[UInt8]] {
        var rng = SeededRandom(seed: seed)
        var chunks: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let n = Int(rng.next() % 65)
            let end = min(bytes.count, offset + n)
            chunks.append(Array(bytes[offset..<end]))
            offset = end
        }
        return chunks
    }
}

/// Seeded mutation of valid inputs, for robustness tests: flips, inserts, deletes, truncations,
/// duplicated spans and extreme length bytes.
public enum Mutator {
    public static func mutate(_ input: [UInt8], rng: inout SeededRandom) -> [UInt8] {
        var bytes = input
        let edits = 1 + Int(rng.next() % 4)
        for _ in 0..<edits {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 7 {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << (rng.next() % 8))
            case 1 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
            case 3 where !bytes.isEmpty: bytes.remove(at: position)
            case 4: bytes = Array(bytes.prefix(position))
            case 5 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(rng.next() % 16))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default:
                let extreme: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x7E, 0x7D, 0x24, 0x2A, 0x0D, 0x0A]
                if !bytes.isEmpty { bytes[position] = extreme[Int(rng.next() % UInt64(extreme.count))] }
            }
        }
        return bytes
    }
}
