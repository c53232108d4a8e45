import FieldtraceTestSupport
import Synchronization

@testable import FieldtraceStore

/// An in-memory file system that can crash: every write stays volatile until its file is
/// synced, every creation, rename and removal until its directory is synced. `crashImage`
/// builds what a disk could hold after power loss at this instant: synced data, plus a random
/// prefix of the unsynced writes (the last one possibly torn), and unsynced directory changes
/// either kept or lost. `failAfter` makes the n-th operation from now fail, and all after it,
/// to crash a writer in the middle of its work.
final class SimulatedFileSystem: StoreFileSystem, @unchecked Sendable {
    struct CrashError: Error {}

    final class Node {
        var durable: [UInt8] = []
        var current: [UInt8] = []
        /// Unsynced operations, in order: a write (offset, bytes) or a truncate (size, nil).
        var pending: [(offset: Int, bytes: [UInt8]?)] = []
    }

    private let lock = Mutex<Void>(())
    private var names: [String: Node] = [:]
    private var durableNames: [String: Node] = [:]
    private var directories: Set<String> = []
    private var budget: Int?

    /// Fail the `n`-th file operation from now and every later one.
    func failAfter(_ n: Int) { lock.withLock { _ in budget = n } }

    /// Operations succeed again (a full disk that was cleaned up).
    func heal() { lock.withLock { _ in budget = nil } }

    private func spend() throws {
        try lock.withLock { _ in
            if let b = budget {
                if b <= 0 { throw CrashError() }
                budget = b - 1
            }
        }
    }

    func open(_ path: String, create: Bool) throws -> StoreFile {
        try spend()
        return try lock.withLock { _ in
            if let node = names[path] { return SimulatedFile(fs: self, node: node, path: path) }
            guard create else { throw StoreIOError("open", path, errno: 2) }
            let node = Node()
            names[path] = node
            return SimulatedFile(fs: self, node: node, path: path)
        }
    }

    func list(_ directory: String) throws -> [String] {
        lock.withLock { _ in
            names.keys.filter { $0.hasPrefix(directory + "/") && !$0.dropFirst(directory.count + 1).contains("/") }
                .map { String($0.dropFirst(directory.count + 1)) }.sorted()
        }
    }

    func remove(_ path: String) throws {
        try spend()
        lock.withLock { _ in _ = names.removeValue(forKey: path) }
    }

    func rename(_ from: String, to: String) throws {
        try spend()
        try lock.withLock { _ in
            guard let node = names.removeValue(forKey: from) else { throw StoreIOError("rename", from, errno: 2) }
            names[to] = node
        }
    }

    func syncDirectory(_ path: String) throws {
        try spend()
        lock.withLock { _ in
            for key in durableNames.keys where key.hasPrefix(path + "/") { durableNames.removeValue(forKey: key) }
            for (key, node) in names where key.hasPrefix(path + "/") { durableNames[key] = node }
        }
    }

    func makeDirectory(_ path: String) throws { lock.withLock { _ in _ = directories.insert(path) } }
    func exists(_ path: String) -> Bool { lock.withLock { _ in names[path] != nil || directories.contains(path) } }

    fileprivate func perform(_ body: () throws -> Void) throws {
        try spend()
        try lock.withLock { _ in try body() }
    }

    /// What the disk could hold after a crash now, chosen by `rng`.
    func crashImage(_ rng: inout SeededRandom) -> SimulatedFileSystem {
        lock.withLock { _ in
            let image = SimulatedFileSystem()
            image.directories = directories
            var chosen: [String: Node] = durableNames
            for (key, node) in names where durableNames[key] !== node {
                // An unsynced creation or rename: the entry may or may not have reached the disk.
                if rng.next() % 2 == 0 { chosen[key] = node }
            }
            for (key, node) in durableNames where names[key] == nil && rng.next() % 2 == 0 {
                chosen.removeValue(forKey: key)  // an unsynced removal that reached the disk
                _ = node
            }
            var copies: [ObjectIdentifier: Node] = [:]
            for (key, node) in chosen {
                if let copy = copies[ObjectIdentifier(node)] {
                    image.names[key] = copy
                    image.durableNames[key] = copy
                    continue
                }
                var content = node.durable
                let applied = node.pending.isEmpty ? 0 : Int(rng.next() % UInt64(node.pending.count + 1))
                for (index, op) in node.pending.enumerated() where index <= applied {
                    guard var bytes = op.bytes else {
                        if index < applied { content = Array(content.prefix(op.offset)) }
                        continue
                    }
                    if index == applied {
                        // The write in flight: torn, a random prefix of it (possibly zeros).
                        let keep = Int(rng.next() % UInt64(bytes.count + 1))
                        if rng.next() % 3 == 0 { bytes = [UInt8](repeating: 0, count: bytes.count) }
                        bytes = Array(bytes.prefix(keep))
                    }
                    if content.count < op.offset + bytes.count {
                        content += [UInt8](repeating: 0, count: op.offset + bytes.count - content.count)
                    }
                    content.replaceSubrange(op.offset..<(op.offset + bytes.count), with: bytes)
                }
                let copy = Node()
                copy.durable = content
                copy.current = content
                copies[ObjectIdentifier(node)] = copy
                image.names[key] = copy
                image.durableNames[key] = copy
            }
            return image
        }
    }

    /// Flips one bit of a file's content (durable and current), for corruption tests.
    func flip(_ path: String, byte: Int, mask: UInt8 = 0x10) {
        lock.withLock { _ in
            guard let node = names[path], byte < node.current.count else { return }
            node.current[byte] ^= mask
            if byte < node.durable.count { node.durable[byte] ^= mask }
        }
    }

    func content(_ path: String) -> [UInt8]? { lock.withLock { _ in names[path]?.current } }
}

final class SimulatedFile: StoreFile {
    let fs: SimulatedFileSystem
    let node: SimulatedFileSystem.Node
    let path: String

    init(fs: SimulatedFileSystem, node: SimulatedFileSystem.Node, path: String) {
        self.fs = fs
        self.node = node
        self.path = path
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        let data = Array(bytes)
        try fs.perform {
            if node.current.count < offset + data.count {
                node.current += [UInt8](repeating: 0, count: offset + data.count - node.current.count)
            }
            node.current.replaceSubrange(offset..<(offset + data.count), with: data)
            node.pending.append((offset, data))
        }
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        try fs.perform {
            let end = min(node.current.count, offset + count)
            out = offset < end ? Array(node.current[offset..<end]) : []
        }
        return out
    }

    func size() throws -> Int {
        var n = 0
        try fs.perform { n = node.current.count }
        return n
    }

    func sync() throws {
        try fs.perform {
            node.durable = node.current
            node.pending.removeAll()
        }
    }

    func truncate(to size: Int) throws {
        try fs.perform {
            node.current = Array(node.current.prefix(size))
            node.pending.append((size, nil))
        }
    }

    func close() {}
}
