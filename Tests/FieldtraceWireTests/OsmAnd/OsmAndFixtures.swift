import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// Shared helpers for the OsmAnd tests.
enum OsmAndFixtures {
    static let receivedMs = DecoderHarness.defaultReceivedMs

    /// Decodes requests, one `consume` each.
    static func decode(_ requests: [String], configuration: WireConfiguration = .init()) -> DecodeResult {
        DecoderHarness.run(OsmAndDecoder.self, chunks: requests.map { Array($0.utf8) }, configuration: configuration)
    }

    /// Runs `body` over the bytes of `text`.
    static func with<T>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try Array(text.utf8).withUnsafeBytes { try body($0) }
    }

    /// The reason a request was rejected with, or nil.
    static func reason(_ request: String) -> RejectReason? {
        decode([request]).rejections.first?.reason
    }
}
