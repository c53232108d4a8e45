import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Foundation
import Testing

@testable import FieldtraceCLI

/// Every capture in `sample-data/<protocol>/` with an `<name>.expected.jsonl` next to it is
/// decoded as `fieldtrace decode --protocol <protocol> --input <hex|raw> --acks
/// --now 2026-11-29T00:00:00Z` would, and compared with the expected lines (written by the
/// independent sample generators in scripts/samples, never by this decoder) and with the
/// expected summary line in `<name>.expected.summary` (required).
///
/// `.hex` files are hex input; any other extension is raw input. Numbers that the decoder
/// derives by arithmetic (speed in m/s, ...) are compared to 1e-9 relative; everything else,
/// coordinates included, exactly.
@Suite struct SampleCaptureTests {
    static let nowMs = ISO8601.parse("2026-11-29T00:00:00Z".utf8)!

    struct Capture: CustomStringConvertible, Sendable {
        var wireProtocol: WireProtocol
        var input: CaptureInput
        var path: String
        var expectedJSONL: String
        var expectedSummary: String
        var description: String { String(path.split(separator: "/").suffix(2).joined(separator: "/")) }
    }

    static func captures() -> [Capture] {
        var found: [Capture] = []
        for wireProtocol in WireProtocol.allCases {
            let dir = SampleData.directory + "/" + wireProtocol.rawValue
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where !name.contains(".expected.") && !name.hasSuffix(".md") {
                let stem = name.split(separator: ".").dropLast().joined(separator: ".")
                let expected = dir + "/" + stem + ".expected.jsonl"
                guard FileManager.default.fileExists(atPath: expected) else { continue }
                found.append(
                    Capture(
                        wireProtocol: wireProtocol, input: name.hasSuffix(".hex") ? .hex : .raw,
                        path: dir + "/" + name, expectedJSONL: expected,
                        expectedSummary: dir + "/" + stem + ".expected.summary"))
            }
        }
        return found
    }

    @Test func everyProtocolHasSamples() {
        let covered = Set(Self.captures().map(\.wireProtocol))
        for p in WireProtocol.allCases { #expect(covered.contains(p), "no samples for \(p)") }
    }

    @Test(arguments: captures())
    func decodesAsExpected(capture: Capture) throws {
        let bytes = try SampleData.readFile(capture.path)
        var out: [UInt8] = []
        let counters = DecodeRun.decode(
            bytes, protocol: capture.wireProtocol, input: capture.input, configuration: .init(),
            receivedMs: Self.nowMs, fixes: true, acks: true
        ) { out += $0 }
        let actual = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        let expected = String(decoding: try SampleData.readFile(capture.expectedJSONL), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(actual.count == expected.count, "line count")
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            #expect(JSONLineMatch.matches(a, e), "line \(index + 1):\n  got      \(a)\n  expected \(e)")
        }
        // Every capture has its expected summary; a missing one fails here instead of skipping.
        let summary = try SampleData.readFile(capture.expectedSummary)
        let text = String(decoding: summary, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(counters.summary == text)
    }
}

/// Compares two JSON objects: same keys, same strings and booleans, numbers equal to 1e-9
/// relative (coordinates are also compared as exact text by `exactKeys`).
enum JSONLineMatch {
    static let exactKeys: Set<String> = ["lat", "lon", "sats"]

    static func matches(_ a: String, _ e: String) -> Bool {
        guard let ja = try? JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any],
            let je = try? JSONSerialization.jsonObject(with: Data(e.utf8)) as? [String: Any],
            Set(ja.keys) == Set(je.keys)
        else { return false }
        for (key, ev) in je {
            let av = ja[key]!
            if exactKeys.contains(key) {
                guard rawNumber(key, in: a) == rawNumber(key, in: e) else { return false }
            } else if let en = ev as? NSNumber, let an = av as? NSNumber, !(ev is Bool) {
                let x = an.doubleValue
                let y = en.doubleValue
                guard abs(x - y) <= 1e-9 * max(1, abs(y)) else { return false }
            } else if "\(av)" != "\(ev)" {
                return false
            }
        }
        return true
    }

    /// The literal text of a number value in a JSON line.
    static func rawNumber(_ key: String, in line: String) -> String? {
        guard let range = line.range(of: "\"\(key)\":") else { return nil }
        return String(line[range.upperBound...].prefix { "-0123456789.eE+".contains($0) })
    }
}
