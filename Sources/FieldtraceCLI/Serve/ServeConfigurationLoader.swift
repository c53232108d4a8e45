/// Reads the layers of `fieldtrace serve` settings into one `name -> value` table
/// (`section.key`, values as TOML scalars: quoted strings unquoted, numbers and booleans as text).
///
/// The TOML reader is the subset serve's file needs: `[section]` headers, `key = value` lines
/// with a string (basic `"..."` with `\"`/`\\` escapes, or literal `'...'`), integer, float or
/// boolean value, `#` comments, blank lines. Anything else (arrays, inline tables, dotted
/// keys, multi-line strings) is reported with its line number, never skipped silently.
struct ServeConfigurationLoader {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Resolved values by `section.key`, each known setting present.
    private(set) var values: [String: String] = [:]
    /// Where each value came from (`default`, a file path, `env`, `flag`), for the start log.
    private(set) var origins: [String: String] = [:]

    init() {
        for setting in ServeSettings.all {
            values[setting.name] = Self.unquote(setting.defaultValue)
            origins[setting.name] = "default"
        }
    }

    mutating func set(_ name: String, _ value: String, origin: String) throws {
        guard ServeSettings.setting(named: name) != nil else {
            throw LoadError(description: "\(origin): unknown setting '\(name)' (see fieldtrace serve --help)")
        }
        values[name] = value
        origins[name] = origin
    }

    /// Applies a TOML file's text.
    mutating func applyTOML(_ text: String, path: String) throws {
        var section = ""
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Self.stripComment(Substring(rawLine)).trimmed
            if line.isEmpty { continue }
            let place = "\(path):\(number + 1)"
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw LoadError(description: "\(place): bad section header")
                }
                section = String(line.dropFirst().dropLast()).trimmed
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw LoadError(description: "\(place): expected key = value")
            }
            let key = String(line[..<equals]).trimmed
            let rawValue = String(line[line.index(after: equals)...]).trimmed
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw LoadError(description: "\(place): unsupported key '\(key)'")
            }
            guard let value = Self.scalar(rawValue) else {
                throw LoadError(description: "\(place): unsupported value '\(rawValue)' (strings, numbers, booleans)")
            }
            try set(section.isEmpty ? key : section + "." + key, value, origin: place)
        }
    }

    /// Applies `FIELDTRACE_<SECTION>_<KEY>` variables of known settings.
    mutating func applyEnvironment(_ environment: [String: String]) throws {
        for setting in ServeSettings.all {
            if let value = environment[setting.environmentName] {
                try set(setting.name, value, origin: "env \(setting.environmentName)")
            }
        }
    }

    // MARK: Typed access

    func string(_ name: String) -> String { values[name] ?? "" }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(string(name)), range.contains(value) else {
            throw LoadError(
                description: "\(name) = '\(string(name))' (\(origins[name] ?? "?")): expected an integer in \(range)")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool {
        switch string(name).lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            throw LoadError(
                description: "\(name) = '\(string(name))' (\(origins[name] ?? "?")): expected true or false")
        }
    }

    // MARK: Lexing

    /// Drops a `#` comment that is not inside a string.
    static func stripComment(_ line: Substring) -> Substring {
        var quote: Character?
        var escaped = false
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if escaped {
                    escaped = false
                } else if c == "\\" && q == "\"" {
                    escaped = true
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                return line[..<index]
            }
        }
        return line
    }

    /// A TOML scalar as text, or nil when unsupported.
    static func scalar(_ text: String) -> String? {
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\""), !text.hasPrefix("\"\"\"") else { return nil }
            var out = ""
            var escaped = false
            for c in text.dropFirst().dropLast() {
                if escaped {
                    switch c {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\"", "\\": out.append(c)
                    default: return nil
                    }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    out.append(c)
                }
            }
            return escaped ? nil : out
        }
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'"), !text.hasPrefix("'''") else { return nil }
            return String(text.dropFirst().dropLast())
        }
        if text == "true" || text == "false" { return text }
        let digits = text.replacingUnderscores
        if Int(digits) != nil || Double(digits) != nil { return digits }
        return nil
    }

    static func unquote(_ text: String) -> String { scalar(text) ?? text }
}

extension StringProtocol {
    fileprivate var trimmed: String {
        String(
            drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: {
                $0 == " " || $0 == "\t" || $0 == "\r"
            }).reversed())
    }

    fileprivate var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
