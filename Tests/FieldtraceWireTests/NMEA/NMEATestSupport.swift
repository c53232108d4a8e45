import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Helpers shared by the NMEA tests.
enum NMEATest {
    /// 2026-11-29T00:00:00Z, the clock the sample captures are decoded with.
    static let nowMs: Int64 = 1_795_910_400_000
    static let device = "TEST-1"

    /// `$<body>*hh\r\n` with a correct checksum.
    static func s(_ body: String) -> String { NMEAEncoder.sentence(body) }

    /// Decodes lines (bodies without `$`/checksum are wrapped by `s`) after a `$PGID`.
    static func decode(
        _ bodies: [String], pgid: Bool = true, configuration: WireConfiguration = .init(), receivedMs: Int64 = nowMs
    ) -> DecodeResult {
        var text = pgid ? NMEAEncoder.pgid(device) : ""
        for b in bodies { text += s(b) }
        return DecoderHarness.run(
            NMEADecoder.self, chunks: [Array(text.utf8)], configuration: configuration, receivedMs: receivedMs)
    }

    /// Decodes raw text.
    static func decodeRaw(
        _ text: String, configuration: WireConfiguration = .init(), receivedMs: Int64 = nowMs
    ) -> DecodeResult {
        DecoderHarness.run(
            NMEADecoder.self, chunks: [Array(text.utf8)], configuration: configuration, receivedMs: receivedMs)
    }

    /// Epoch milliseconds of a UTC date and time.
    static func ms(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ ms: Int = 0) -> Int64 {
        UTCTime.epochMs(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms)!
    }

    /// The rejection count for `reason`.
    static func rejected(_ r: DecodeResult, _ reason: RejectReason) -> Int { r.counters.rejected[reason] ?? 0 }

    /// Runs `body` with the fields of `text` (comma-separated, no `$`/address).
    static func withFields<T>(_ text: String, _ body: (inout NMEAFields) throws -> T) rethrows -> T {
        let bytes = [UInt8(ascii: "$")] + Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            var fields = NMEAFields(raw, from: 1, end: raw.count)
            return try body(&fields)
        }
    }

    /// Every fix passes the shared plausibility check.
    static func expectPlausible(_ fixes: [Fix], sourceLocation: SourceLocation = #_sourceLocation) {
        for fix in fixes {
            let problems = Plausibility.problems(fix)
            #expect(problems.isEmpty, "\(fix): \(problems)", sourceLocation: sourceLocation)
        }
    }
}
