import Foundation
import Testing

@testable import FieldtraceCLI

/// The fan-out bench's SSE client and a small end-to-end run over HTTP.
@Suite struct BenchFanoutTests {
    static func lastID(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { SSEClientHandler.lastEventID($0) }
    }

    @Test func findsTheLastCompleteIDLine() {
        #expect(Self.lastID("id: 1\nevent: a\ndata: {}\n\nid: 2\nevent: a\ndata: {\"id\":9}\n\n") == 2)
        // A cut-off id line does not count; the one before does.
        #expect(Self.lastID("id: 7\nevent: a\ndata: {}\n\nid: 8") == 7)
        #expect(Self.lastID("id: 17\nevent: a\ndata: {}\n\nid: ") == 17)
        // Only at a line start, and with digits.
        #expect(Self.lastID("data: xid: 5\n") == nil)
        #expect(Self.lastID("id: \n") == nil)
        #expect(Self.lastID("HTTP/1.1 200 OK\r\n\r\nretry: 2000\n\n") == nil)
        #expect(Self.lastID("") == nil && Self.lastID("id:") == nil)
        #expect(Self.lastID("id: 123456789\n") == 123_456_789)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: DecodeProcessTests.executable)))
    func everySubscriberGetsEveryEventOverHTTP() throws {
        for tenants in ["1", "2"] {
            let r = try DecodeProcessTests.run([
                "bench-fanout", "--transport", "http", "--subscribers", "6", "--rate", "200", "--seconds", "1",
                "--tenants", tenants,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            // 200 events, each to the subscribers of its tenant: 6 x 200 / tenants.
            #expect(r.stdout.contains(" deliveries=\(1200 / Int(tenants)!) "), "\(r.stdout)")
            #expect(r.stdout.contains(" dropped_subscribers=0 "), "\(r.stdout)")
        }
    }
}
