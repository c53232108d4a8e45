#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real file system: POSIX calls, fdatasync for files, fsync for directories.
public struct PosixFileSystem: StoreFileSystem {
    public init() {}

    public func open(_ path: String, create: Bool) throws -> StoreFile {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o644)
        guard fd >= 0 else { throw StoreIOError("open", path, errno: errno) }
        return PosixFile(fd: fd, path: path)
    }

    public func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw StoreIOError("opendir", directory, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw StoreIOError("unlink", path, errno: errno) }
    }

    public func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw StoreIOError("rename", from, errno: errno) }
    }

    public func syncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreIOError("open", path, errno: errno) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw StoreIOError("fsync", path, errno: errno) }
    }

    public func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw StoreIOError("mkdir", prefix, errno: errno) }
        }
    }

    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

final class PosixFile: StoreFile {
    let fd: Int32
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close() }

    private var closed = false

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreIOError("pwrite", path, errno: errno)
            }
            done += n
        }
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreIOError("pread", path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        out.removeLast(count - done)
        return out
    }

    func size() throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreIOError("fstat", path, errno: errno) }
        return Int(info.st_size)
    }

    func sync() throws {
        guard fdatasync(fd) == 0 else { throw StoreIOError("fdatasync", path, errno: errno) }
    }

    func truncate(to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw StoreIOError("ftruncate", path, errno: errno) }
    }

    func close() {
        if !closed {
            closed = true
            Glibc.close(fd)
        }
    }
}
