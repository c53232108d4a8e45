import FieldtraceAnalytics
import FieldtraceTestSupport
import Testing

@Suite struct JSONParserTests {
    let parser = JSONParser()

    @Test func parsesEveryKindOfValueKeepingMemberOrderAndNumberText() throws {
        let text = #" {"b": [1, -0, 2.50, 1e3, -1.5E-2], "a": {"t": true, "f": false, "n": null}, "s": "x"} "#
        let value = try parser.parse(text)
        #expect(value.objectValue?.map(\.key) == ["b", "a", "s"])
        let numbers = value["b"]?.arrayValue ?? []
        #expect(numbers.compactMap(\.doubleValue) == [1, -0.0, 2.5, 1000, -0.015])
        guard case .number(let n) = numbers[2] else { Issue.record("not a number"); return }
        #expect(n.text == "2.50")
        #expect(value["a"]?["t"] == .bool(true) && value["a"]?["n"] == .null)
        #expect(value.jsonText == #"{"b":[1,-0,2.50,1e3,-1.5E-2],"a":{"t":true,"f":false,"n":null},"s":"x"}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try parser.parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4E2D", "\ud83d\ude00", "中文"]"#)
        let strings = value.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(strings == ["a\"b\\c/d\u{8}\u{c}\n\r\t", "é中", "😀", "中文"])
        // Written back and read again: the same strings.
        #expect(try parser.parse(value.jsonText) == value)
    }

    @Test(arguments: [
        (#"[1,]"#, JSONParseError.unexpectedByte(UInt8(ascii: "]"), offset: 3)),
        (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"), offset: 5)),
        (#"[01]"#, .unexpectedByte(UInt8(ascii: "1"), offset: 2)),
        (#"[1.]"#, .invalidNumber(offset: 1)),
        (#"[-]"#, .invalidNumber(offset: 1)),
        (#"[1e]"#, .invalidNumber(offset: 1)),
        (#"[1e999]"#, .invalidNumber(offset: 1)),
        (#""\x""#, .invalidEscape(offset: 1)),
        (#""\u12G4""#, .invalidUnicodeEscape(offset: 1)),
        (#""\ud800x""#, .invalidUnicodeEscape(offset: 1)),
        (#""\udc00""#, .invalidUnicodeEscape(offset: 1)),
        (#""\ud800\u0041""#, .invalidUnicodeEscape(offset: 1)),
        ("\"a\u{1}\"", .controlCharacterInString(offset: 2)),
        (#"{"a":1,"a":2}"#, .duplicateKey("a", offset: 7)),
        (#"[true] x"#, .trailingBytes(offset: 7)),
        (#"[tru"#, .unexpectedEnd(offset: 4)),
        (#"{"a":"#, .unexpectedEnd(offset: 5)),
        ("", .unexpectedEnd(offset: 0)),
    ])
    func rejectsMalformedInputWithTheOffset(text: String, expected: JSONParseError) {
        #expect(throws: expected) { try parser.parse(text) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONParseError.invalidUTF8(offset: 1)) {
            try parser.parse([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])
        }
        #expect(throws: JSONParseError.invalidUTF8(offset: 0)) { try parser.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
    }

    @Test func enforcesDepthAndSizeLimits() throws {
        let limited = JSONParser(maxBytes: 100, maxDepth: 4)
        _ = try limited.parse("[[[[1]]]]")
        #expect(throws: JSONParseError.tooDeep(offset: 4, limit: 4)) { try limited.parse("[[[[[1]]]]]") }
        #expect(throws: JSONParseError.tooLarge(bytes: 101, limit: 100)) {
            try limited.parse("[" + String(repeating: "1,", count: 49) + "1]")
        }
        // The default depth limit stops a deeply nested attack well before the stack does.
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.tooDeep(offset: 64, limit: 64)) { try parser.parse(deep) }
    }

    @Test func largeObjectsStillRejectDuplicateKeys() throws {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        _ = try parser.parse("{" + members + "}")
        #expect(throws: JSONParseError.self) { try parser.parse("{" + members + #","k33":0}"#) }
    }

    /// Seeded garbage and mutations of a valid document: a value or a typed error, never a crash.
    @Test func survivesSeededGarbage() {
        let seed: UInt64 = 0x6765_6F6A_736F_6E
        var rng = SeededRandom(seed: seed)
        let document =
            "[" + SyntheticFences.geoJSON(count: 3, seed: 1) + #",{"a":["\ud83d\ude00\n",-1.5e-3,true,null]}]"#
        let base = Array(document.utf8)
        let alphabet = Array(#"{}[],:"\/-+.0123456789eEtrufalsn ubx"#.utf8) + [0x00, 0x80, 0xC3, 0xFF]
        var values = 0
        var errors = 0
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            } else {
                bytes = base
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: at)
                    default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                    }
                }
            }
            switch Result(catching: { () throws(JSONParseError) in try parser.parse(bytes) }) {
            case .success(let value):
                // Whatever parses writes back to text that parses to the same value.
                #expect((try? parser.parse(value.jsonText)) == value, "seed \(seed) round \(round)")
                values += 1
            case .failure(let error):
                #expect(error.offset >= 0 && error.offset <= bytes.count, "seed \(seed) round \(round)")
                errors += 1
            }
        }
        #expect(values > 0 && errors > 0, "seed \(seed): the mix exercises both paths")
    }
}
