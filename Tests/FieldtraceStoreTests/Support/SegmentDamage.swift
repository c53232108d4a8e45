@testable import FieldtraceStore

/// Damages a stored segment the way a bad disk would: flips one bit in the middle of the first
/// segment of the catalog, in its pack file. Returns that segment's entry.
@discardableResult
func flipABitInTheFirstSegment(of store: TrackStore, in directory: String) throws -> SegmentEntry {
    let entry = try store.catalog.allSegments()[0]
    let file = try PosixFileSystem().open(directory + "/segments/" + entry.file, create: false)
    defer { file.close() }
    var byte = try file.read(at: entry.offset + entry.length / 2, count: 1)
    byte[0] ^= 0x01
    try file.write(byte, at: entry.offset + entry.length / 2)
    return entry
}
