import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JSONReaderTests {
    /// Validates a whole document by skipping it; returns the error offset or nil.
    func validate(_ text: String, maxDepth: Int = JSONReader.defaultMaxDepth) -> Int? {
        OsmAndFixtures.with(text) { raw in
            var reader = JSONReader(raw, maxDepth: maxDepth)
            do throws(OsmAndError) {
                try reader.skipValue()
                try reader.finish()
                return nil
            } catch {
                if case .malformedJSON(let offset, _) = error { return offset }
                return -1
            }
        }
    }

    @Test(arguments: [
        "{}", "[]", "0", "-0", "1.5e-3", "-12.25E+2", "\"\"", "true", "false", "null",
        #"{"a":[1,2,{"b":null}],"c":"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"}"#,
        " \n\t{ \"a\" : 1 } \r\n", "[[[[[]]]]]", "\"\u{00e9}\"",
    ])
    func wellFormed(_ text: String) {
        #expect(validate(text) == nil, "\(text)")
    }

    @Test(arguments: [
        "", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[01]", "[1.]", "[.5]", "[-]", "[+1]", "[1e]",
        "[NaN]", "[tru]", "[nul]", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}b\"",
        "{} {}", "[1 2]", "{\"a\":1 \"b\":2}", "[\"a\",]", "'a'",
    ])
    func malformed(_ text: String) {
        #expect(validate(text) != nil, "\(text)")
    }

    @Test func depthIsCapped() {
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(validate(deep) != nil)
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(validate(ok) == nil)
        // Far beyond the cap: rejected at the cap, without deep recursion.
        let offset = validate(String(repeating: "{\"a\":", count: 100_000))
        #expect(offset != nil && offset! <= 33 * 5)
    }

    @Test func readsMembersAndStrings() throws {
        let text = #"{"device_id":"ph\u006fne-7","n":-1.5e2,"b":true,"z":null,"s":["x"]}"#
        try OsmAndFixtures.with(text) { raw in
            var reader = JSONReader(raw)
            var members = try reader.beginObject()
            var seen: [String] = []
            while let key = try reader.nextMember(&members) {
                var keyBytes: [UInt8] = []
                key.decode(into: &keyBytes)
                seen.append(String(decoding: keyBytes, as: UTF8.self))
                if key.equals("device_id") {
                    let value = try reader.readString()
                    #expect(value.hasEscapes)
                    var out: [UInt8] = []
                    value.decode(into: &out)
                    #expect(String(decoding: out, as: UTF8.self) == "phone-7")
                } else if key.equals("n") {
                    #expect(String(decoding: try reader.readNumber(), as: UTF8.self) == "-1.5e2")
                } else if key.equals("b") {
                    #expect(try reader.readBool())
                } else {
                    try reader.skipValue()
                }
            }
            try reader.finish()
            #expect(seen == ["device_id", "n", "b", "z", "s"])
        }
    }

    @Test func escapedKeysCompareDecoded() throws {
        try OsmAndFixtures.with(#"{"device\u005fid":1,"\u00e9":2}"#) { raw in
            var reader = JSONReader(raw)
            var members = try reader.beginObject()
            let first = try #require(try reader.nextMember(&members))
            #expect(first.equals("device_id"))
            #expect(!first.equals("device_i"))
            try reader.skipValue()
            let second = try #require(try reader.nextMember(&members))
            #expect(!second.equals("e"))
            var out: [UInt8] = []
            second.decode(into: &out)
            #expect(out == [0xC3, 0xA9])
        }
    }

    @Test func surrogatePairsDecodeToUTF8() throws {
        try OsmAndFixtures.with(#""\ud83d\ude00""#) { raw in
            var reader = JSONReader(raw)
            var out: [UInt8] = []
            try reader.readString().decode(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == "😀")
        }
    }
}
