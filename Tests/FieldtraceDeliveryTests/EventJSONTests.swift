import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Testing

@Suite struct EventJSONTests {
    static func event(payload: String, retracts: Int64? = nil) throws -> LoggedEvent {
        let data = try TestData()
        defer { data.directory.remove() }
        try data.append(1, tenant: "a\"b", detectedMs: 0)
        var e = try #require(try data.log.read(after: 0, limit: 1).first)
        e.payload = payload
        e.retracts = retracts
        return e
    }

    @Test func prefixesIdTenantAndDetectionTimeToTheStoredObject() throws {
        let e = try Self.event(payload: #"{"kind":"x","late":false}"#, retracts: 9)
        #expect(
            String(decoding: EventJSON.encode(e), as: UTF8.self)
                == #"{"id":1,"tenant":"a\"b","detected_at":"1970-01-01T00:00:00.000Z","retracts":9,"kind":"x","late":false}"#
        )
    }

    @Test func anEmptyOrDamagedPayloadStillGivesValidJSON() throws {
        #expect(
            String(decoding: EventJSON.encode(try Self.event(payload: "{}")), as: UTF8.self)
                == #"{"id":1,"tenant":"a\"b","detected_at":"1970-01-01T00:00:00.000Z"}"#)
        #expect(
            String(decoding: EventJSON.encode(try Self.event(payload: "oops\n")), as: UTF8.self)
                == #"{"id":1,"tenant":"a\"b","detected_at":"1970-01-01T00:00:00.000Z","payload":"oops\u000a"}"#)
    }

    @Test func sseFieldsCannotBreakLines() {
        let frame = ServerSentEvents.droppedFrame(reason: "slow_consumer", message: "a\nb", lastEventID: 4)
        #expect(
            String(decoding: frame, as: UTF8.self)
                == "event: fieldtrace.dropped\ndata: {\"reason\":\"slow_consumer\",\"message\":\"a\\u000ab\",\"last_event_id\":4}\n\n"
        )
        #expect(ServerSentEvents.keepAlive == Array(": keep-alive\n\n".utf8))
    }
}
