import Foundation

/// Append-only pack files of segments in `segments/`: `000001.pack`, `000002.pack`, ...
///
/// A segment is appended at the end of the current pack and synced before the catalog points
/// at it, so a crash mid-write leaves only a tail that no catalog row references. Packs roll at
/// `maxBytes`; garbage collection rewrites a pack's live segments elsewhere and deletes it.
final class PackFiles {
    let directory: String
    let fs: StoreFileSystem
    let maxBytes: Int
    private var current: (name: String, file: StoreFile, size: Int)?

    init(directory: String, fs: StoreFileSystem, maxBytes: Int) throws {
        self.directory = directory
        self.fs = fs
        self.maxBytes = maxBytes
        try fs.makeDirectory(directory)
    }

    func packNames() throws -> [String] { try fs.list(directory).filter { $0.hasSuffix(".pack") }.sorted() }

    /// Appends segments to the current pack and syncs it; returns (file, offset, length) each.
    func append(_ segments: [[UInt8]]) throws -> [(file: String, offset: Int, length: Int)] {
        var placed: [(String, Int, Int)] = []
        var touched: [StoreFile] = []
        for bytes in segments {
            if current == nil || current!.size >= maxBytes {
                if let old = current?.file, let i = touched.firstIndex(where: { $0 === old }) {
                    try old.sync()
                    touched.remove(at: i)
                }
                try roll()
            }
            let (name, file, size) = current!
            try file.write(bytes, at: size)
            placed.append((name, size, bytes.count))
            current!.size = size + bytes.count
            if !touched.contains(where: { $0 === file }) { touched.append(file) }
        }
        for file in touched { try file.sync() }
        return placed
    }

    /// Starts a new pack (never appends to one left by an earlier process: its tail may be torn).
    private func roll() throws {
        current?.file.close()
        let last = try packNames().last.flatMap { Int($0.dropLast(5)) } ?? 0
        let digits = String(last + 1)
        let name = String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".pack"
        let file = try fs.open(directory + "/" + name, create: true)
        try fs.syncDirectory(directory)
        current = (name, file, try file.size())
    }

    /// Read handles kept open between reads (a replay reads dozens of segments per pack).
    private var readers: [String: StoreFile] = [:]
    private let readersLock = NSLock()

    func read(file name: String, offset: Int, length: Int) throws -> [UInt8] {
        readersLock.lock()
        defer { readersLock.unlock() }
        if readers[name] == nil {
            if readers.count >= 64 { closeReaders() }
            readers[name] = try fs.open(directory + "/" + name, create: false)
        }
        return try readers[name]!.read(at: offset, count: length)
    }

    /// Closes the cached read handles (lock held).
    private func closeReaders() {
        for file in readers.values { file.close() }
        readers.removeAll()
    }

    func size(of name: String) throws -> Int {
        let file = try fs.open(directory + "/" + name, create: false)
        defer { file.close() }
        return try file.size()
    }

    /// Deletes a pack that no catalog row references any more.
    func remove(_ name: String) throws {
        readersLock.lock()
        readers.removeValue(forKey: name)?.close()
        readersLock.unlock()
        if current?.name == name {
            current!.file.close()
            current = nil
        }
        try fs.remove(directory + "/" + name)
        try fs.syncDirectory(directory)
    }

    var currentName: String? { current?.name }

    func close() {
        current?.file.close()
        current = nil
        readersLock.lock()
        closeReaders()
        readersLock.unlock()
    }
}
