import CLZ4

/// LZ4 block compression (liblz4), bounds-checked on the way back.
enum LZ4 {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4_compress_default(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self),
                    dst.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(src.count), Int32(dst.count))
            }
        }
        precondition(written > 0, "LZ4 compression of \(input.count) bytes failed")
        out.removeLast(out.count - Int(written))
        return out
    }

    /// Decompresses into exactly `size` bytes; `nil` when the input is corrupt or decodes to
    /// another size. The caller has capped `size` before calling.
    static func decompress(_ input: UnsafeRawBufferPointer, size: Int, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        if size == 0 { return input.isEmpty }
        guard !input.isEmpty else { return false }
        out = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let n = LZ4_decompress_safe(
                input.baseAddress!.assumingMemoryBound(to: CChar.self),
                UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(size))
            initialized = n == Int32(size) ? size : 0
        }
        return out.count == size
    }
}
