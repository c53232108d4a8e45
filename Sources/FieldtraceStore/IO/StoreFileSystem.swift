/// The file operations the store needs, behind a protocol so tests can swap in a file system
/// that simulates crashes by dropping unsynced writes (`SimulatedFileSystem` in the tests).
public protocol StoreFile: AnyObject {
    /// Writes at an offset (pwrite); the data is durable only after `sync()`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws
    /// Reads up to `count` bytes at an offset; fewer at the end of the file.
    func read(at offset: Int, count: Int) throws -> [UInt8]
    func size() throws -> Int
    /// Makes written data durable (fdatasync). A failure is fatal for the writer: no retry.
    func sync() throws
    func truncate(to size: Int) throws
    func close()
}

public protocol StoreFileSystem: Sendable {
    /// Opens a file for reading and writing, creating it when `create` is set.
    func open(_ path: String, create: Bool) throws -> StoreFile
    /// Names (not paths) of the entries of a directory.
    func list(_ directory: String) throws -> [String]
    func remove(_ path: String) throws
    func rename(_ from: String, to: String) throws
    /// Makes creations, renames and removals in a directory durable (fsync of the directory).
    func syncDirectory(_ path: String) throws
    func makeDirectory(_ path: String) throws
    func exists(_ path: String) -> Bool
}

/// A file system call failed.
public struct StoreIOError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32
    public init(_ operation: String, _ path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }
    public var description: String { "\(operation) \(path): errno \(errno)" }
}

extension StoreFile {
    public func write(_ bytes: [UInt8], at offset: Int) throws {
        try bytes.withUnsafeBytes { try write($0, at: offset) }
    }
}
