import FieldtraceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Access to the repository's `sample-data/` folder from tests, found relative to this source
/// file so it works in any clone without copying resources.
public enum SampleData {
    /// Absolute path of `sample-data/`.
    public static var directory: String {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Sources/FieldtraceTestSupport/SampleData.swift
        return parts.joined(separator: "/") + "/sample-data"
    }

    /// Absolute path of a file in `sample-data/`.
    public static func path(_ name: String) -> String { directory + "/" + name }

    /// The bytes of a file in `sample-data/`; fails the caller with a clear message if missing.
    public static func bytes(_ name: String) throws -> [UInt8] {
        try readFile(path(name))
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw SampleDataError.cannotOpen(path) }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// File names in `sample-data/` (not recursive), sorted.
    public static func fileNames() -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// The non-empty, non-comment lines of a text file in `sample-data/`.
    public static func lines(_ name: String) throws -> [String] {
        let text = String(decoding: try bytes(name), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }
    }
}

public enum SampleDataError: Error, CustomStringConvertible {
    case cannotOpen(String)
    public var description: String {
        switch self {
        case .cannotOpen(let path): "cannot open \(path)"
        }
    }
}
