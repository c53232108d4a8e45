import FieldtraceCore
import Testing

@testable import FieldtraceWire

@Suite struct OsmAndRequestTests {
    enum Shape: Equatable {
        case query(String)
        case json(String)
        case error(RejectReason)
    }

    func shape(_ text: String) -> Shape {
        OsmAndFixtures.with(text) { raw in
            do throws(OsmAndError) {
                switch try OsmAndRequest.form(of: raw) {
                case .query(let q): return .query(String(decoding: q, as: UTF8.self))
                case .json(let j): return .json(String(decoding: j, as: UTF8.self))
                }
            } catch {
                return .error(error.reason)
            }
        }
    }

    @Test func forms() {
        #expect(shape("id=1&lat=2") == .query("id=1&lat=2"))
        #expect(shape("?id=1&lat=2") == .query("id=1&lat=2"))
        #expect(shape("/?id=1") == .query("id=1"))
        #expect(shape("/osmand/report?id=1#frag") == .query("id=1"))
        #expect(shape("GET /?id=1&lat=2 HTTP/1.1") == .query("id=1&lat=2"))
        #expect(shape("POST /?id=1 HTTP/1.0\r\n") == .query("id=1"))
        #expect(shape("GET /?id=1") == .query("id=1"))
        #expect(shape("GET /status HTTP/1.1") == .query(""))
        #expect(shape("http://example.test/?id=1") == .query("id=1"))
        #expect(shape("  {\"a\":1}  \n") == .json("{\"a\":1}"))
    }

    @Test func badRequests() {
        #expect(shape("") == .error(.badFraming))
        #expect(shape(" \r\n") == .error(.badFraming))
        #expect(shape("GET /?id=1 FTP/1.1") == .error(.badFraming))
    }
}
