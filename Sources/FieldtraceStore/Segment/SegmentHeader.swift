import FieldtraceCore

/// The fixed header in front of every segment (little-endian):
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 4 | magic `FTS1` |
/// | 4 | 1 | version: 1 body packed then LZ4 (`ColumnCoding`), 2 body range-coded (`ModelledBody`) |
/// | 5 | 1 | level (0 lossless, 1 simplified) |
/// | 6 | 2 | flags (0; reserved) |
/// | 8 | 4 | fix count |
/// | 12 | 8 | first fix time, ms UTC |
/// | 20 | 8 | last fix time, ms UTC |
/// | 28 | 16 | bounding box: min lat, max lat, min lon, max lon (1e-7 degree) |
/// | 44 | 4 | uncompressed body size |
/// | 48 | 4 | compressed body size |
/// | 52 | 4 | CRC-32C of the compressed body |
/// | 56 | 1 | device id length n |
/// | 57 | n | device id (ASCII) |
/// | 57+n | 4 | CRC-32C of the header bytes before it |
///
/// A version 2 body is stored as is: its uncompressed and compressed sizes are equal.
/// Every size is checked against `SegmentLimits` before anything is allocated.
public struct SegmentHeader: Sendable, Hashable {
    public static let magic: [UInt8] = Array("FTS1".utf8)
    /// Body packed (`BlockPacking`) then LZ4: fast to decode, for tracks of a fix every few seconds or faster.
    public static let packedVersion: UInt8 = 1
    /// Body range-coded with adaptive models (`ModelledBody`): smaller, slower to decode per
    /// fix, for slow tracks (`SegmentEncoder.modelledMinIntervalMs`).
    public static let modelledVersion: UInt8 = 2
    static let fixedBytes = 57

    /// The body's format: `packedVersion` or `modelledVersion`.
    public var version: UInt8 = packedVersion
    public var level: UInt8
    public var count: Int
    public var t0: Int64
    public var t1: Int64
    public var minLatitudeE7: Int32
    public var maxLatitudeE7: Int32
    public var minLongitudeE7: Int32
    public var maxLongitudeE7: Int32
    public var uncompressedBytes: Int
    public var compressedBytes: Int
    public var bodyCRC: UInt32
    public var device: DeviceID

    /// Header length on disk.
    public var encodedBytes: Int { Self.fixedBytes + device.rawValue.utf8.count + 4 }
    /// Header plus body.
    public var totalBytes: Int { encodedBytes + compressedBytes }

    func encode(into out: inout ByteWriter) {
        let start = out.bytes.count
        out.append(Self.magic)
        out.u8(version)
        out.u8(level)
        out.u16(0)
        out.u32(UInt32(count))
        out.i64(t0)
        out.i64(t1)
        out.i32(minLatitudeE7)
        out.i32(maxLatitudeE7)
        out.i32(minLongitudeE7)
        out.i32(maxLongitudeE7)
        out.u32(UInt32(uncompressedBytes))
        out.u32(UInt32(compressedBytes))
        out.u32(bodyCRC)
        let id = Array(device.rawValue.utf8)
        out.u8(UInt8(id.count))
        out.append(id)
        let crc = out.bytes[start...].withUnsafeBytes { CRC32C.checksum($0) }
        out.u32(crc)
    }

    /// Parses and validates a header at the start of `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(SegmentError) -> SegmentHeader {
        guard bytes.count >= fixedBytes else { throw .truncated }
        var r = ByteReader(bytes)
        do {
            let magic = try r.take(4)
            guard magic.elementsEqual(Self.magic) else { throw SegmentError.badMagic }
            let version = try r.u8()
            guard version == Self.packedVersion || version == Self.modelledVersion else {
                throw SegmentError.unsupportedVersion(version)
            }
            let level = try r.u8()
            _ = try r.u16()
            let count = Int(try r.u32())
            let t0 = try r.i64()
            let t1 = try r.i64()
            let box = (try r.i32(), try r.i32(), try r.i32(), try r.i32())
            let uncompressed = Int(try r.u32())
            let compressed = Int(try r.u32())
            let bodyCRC = try r.u32()
            let idLength = Int(try r.u8())
            let idBytes = try r.take(idLength)
            let headerEnd = r.offset
            let storedCRC = try r.u32()
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd])) == storedCRC else {
                throw SegmentError.badHeaderChecksum
            }
            guard let device = DeviceID(ascii: idBytes) else { throw SegmentError.malformed("device id") }
            guard count >= 1, count <= SegmentLimits.maxFixes else { throw SegmentError.tooLarge("count \(count)") }
            guard uncompressed <= SegmentLimits.maxUncompressedBytes(count: count) else {
                throw SegmentError.tooLarge("uncompressed size \(uncompressed) for \(count) fixes")
            }
            guard compressed <= SegmentLimits.maxCompressedBytes(uncompressed: uncompressed) else {
                throw SegmentError.tooLarge("compressed size \(compressed)")
            }
            guard t0 <= t1 else { throw SegmentError.malformed("time range") }
            guard version == Self.packedVersion || compressed == uncompressed else {
                throw SegmentError.malformed("version 2 body sizes differ")
            }
            return SegmentHeader(
                version: version, level: level, count: count, t0: t0, t1: t1, minLatitudeE7: box.0,
                maxLatitudeE7: box.1,
                minLongitudeE7: box.2, maxLongitudeE7: box.3, uncompressedBytes: uncompressed,
                compressedBytes: compressed, bodyCRC: bodyCRC, device: device)
        } catch let error as SegmentError {
            throw error
        } catch {
            throw .truncated
        }
    }
}

/// Caps on segment sizes, checked before allocating.
public enum SegmentLimits {
    /// Most fixes in one segment: a day at 1 Hz plus margin. Writers cut segments far earlier
    /// (`SegmentBatcher`); readers refuse anything larger.
    public static let maxFixes = 131_072
    /// The most bytes a fix can take uncompressed: 12 columns of at most 9 bytes (a 64-bit
    /// packed value plus block overhead), rounded up.
    public static let maxBytesPerFix = 128

    public static func maxUncompressedBytes(count: Int) -> Int { count * maxBytesPerFix + 4096 }
    /// LZ4's worst case for an input size.
    public static func maxCompressedBytes(uncompressed: Int) -> Int { uncompressed + uncompressed / 255 + 16 }
}

/// Why a segment could not be read.
public enum SegmentError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated
    case badMagic
    case unsupportedVersion(UInt8)
    case badHeaderChecksum
    case badBodyChecksum
    case tooLarge(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .truncated: "segment truncated"
        case .badMagic: "not a segment (bad magic)"
        case .unsupportedVersion(let v): "unsupported segment version \(v)"
        case .badHeaderChecksum: "segment header checksum mismatch"
        case .badBodyChecksum: "segment body checksum mismatch"
        case .tooLarge(let what): "segment too large: \(what)"
        case .malformed(let what): "malformed segment: \(what)"
        }
    }
}
