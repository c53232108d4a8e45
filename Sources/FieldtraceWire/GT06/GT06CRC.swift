/// CRC-16/X-25 ("CRC-ITU" in Concox documents: reflected polynomial 0x8408, initial 0xFFFF,
/// final XOR 0xFFFF), computed eight bytes per step with slicing-by-8 tables.
///
/// A byte-at-a-time table CRC is one long dependency chain (load, shift, XOR per byte) and was
/// half the cost of decoding a location frame; slicing-by-8 does eight independent table loads
/// per eight bytes. Tables: 8 x 256 entries of 2 bytes (4 KiB), built once. Checked against
/// `Checksums.crc16X25` in the tests.
enum GT06CRC {
    /// `table[k * 256 + i]`: the CRC register contribution of byte `i` followed by `k` zero bytes.
    static let table: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt16(i)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x8408 : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC of `bytes`. O(n), no allocation.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        table.withUnsafeBufferPointer { t in
            var crc: UInt16 = 0xFFFF
            var i = 0
            let n = bytes.count
            while n - i >= 8 {
                let x = crc ^ (UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
                let a = t[7 * 256 + Int(x & 0xFF)] ^ t[6 * 256 + Int(x >> 8)]
                let b = t[5 * 256 + Int(bytes[i + 2])] ^ t[4 * 256 + Int(bytes[i + 3])]
                let c = t[3 * 256 + Int(bytes[i + 4])] ^ t[2 * 256 + Int(bytes[i + 5])]
                let d = t[1 * 256 + Int(bytes[i + 6])] ^ t[Int(bytes[i + 7])]
                crc = a ^ b ^ c ^ d
                i += 8
            }
            // The tail (0-7 bytes): four, two, then one at a time.
            if n - i >= 4 {
                let x = crc ^ (UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
                crc =
                    t[3 * 256 + Int(x & 0xFF)] ^ t[2 * 256 + Int(x >> 8)] ^ t[1 * 256 + Int(bytes[i + 2])]
                    ^ t[Int(bytes[i + 3])]
                i += 4
            }
            if n - i >= 2 {
                let x = crc ^ (UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
                crc = t[1 * 256 + Int(x & 0xFF)] ^ t[Int(x >> 8)]
                i += 2
            }
            if i < n {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt16(bytes[i])) & 0xFF)]
            }
            return crc ^ 0xFFFF
        }
    }

    /// The CRC of the four bytes `a b c d` (an ack's length, protocol number and serial).
    static func checksum(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt16 {
        table.withUnsafeBufferPointer { t in
            let x = 0xFFFF ^ (UInt16(a) | UInt16(b) << 8)
            let crc = t[3 * 256 + Int(x & 0xFF)] ^ t[2 * 256 + Int(x >> 8)] ^ t[1 * 256 + Int(c)] ^ t[Int(d)]
            return crc ^ 0xFFFF
        }
    }
}
