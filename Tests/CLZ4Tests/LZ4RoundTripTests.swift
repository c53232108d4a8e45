import CLZ4
import Testing

@Suite struct LZ4RoundTripTests {
    @Test func compressesAndRestoresExactly() throws {
        var input = [UInt8]()
        for i in 0..<100_000 { input.append(UInt8(truncatingIfNeeded: i % 251 ^ (i >> 9))) }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        #expect(bound > input.count)
        var compressed = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBytes { src in
            compressed.withUnsafeMutableBytes { dst in
                LZ4_compress_default(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self),
                    dst.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(src.count), Int32(dst.count))
            }
        }
        #expect(written > 0 && Int(written) < input.count)
        var restored = [UInt8](repeating: 0, count: input.count)
        let read = compressed.withUnsafeBytes { src in
            restored.withUnsafeMutableBytes { dst in
                LZ4_decompress_safe(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self),
                    dst.baseAddress!.assumingMemoryBound(to: CChar.self), written, Int32(dst.count))
            }
        }
        #expect(Int(read) == input.count)
        #expect(restored == input)
    }

    @Test func rejectsCorruptInputWithoutOverrun() {
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02]
        var out = [UInt8](repeating: 0, count: 16)
        let read = garbage.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4_decompress_safe(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self),
                    dst.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(src.count), Int32(dst.count))
            }
        }
        #expect(read < 0)
    }
}
