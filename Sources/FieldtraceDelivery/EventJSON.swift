import FieldtraceCore
import FieldtraceStore

/// The JSON object every consumer gets for an event (webhook bodies, SSE `data:` lines,
/// long-poll items): the id, the tenant, the detection time and, for a correction, the id of the
/// event it withdraws, followed by the event's own fields as stored (`AnalyticsEvent.jsonLine`):
///
///     {"id":12,"tenant":"acme","detected_at":"2026-…Z","kind":"geofence.enter","device":"w1",…}
///
/// One line, no newline (JSON escapes them), so it fits an SSE `data:` line as is.
public enum EventJSON {
    /// Appends the object for `event` to `out`.
    public static func append(_ event: LoggedEvent, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        out.append(contentsOf: String(event.id).utf8)
        out.append(contentsOf: #","tenant":""#.utf8)
        JSONText.appendEscaped(event.tenant, to: &out)
        out.append(contentsOf: #"","detected_at":""#.utf8)
        ISO8601.append(ms: event.detectedMs, to: &out)
        out.append(UInt8(ascii: "\""))
        if let retracts = event.retracts {
            out.append(contentsOf: #","retracts":"#.utf8)
            out.append(contentsOf: String(retracts).utf8)
        }
        // The stored payload is a JSON object written by `AnalyticsEvent.appendJSONLine`; its
        // members follow ours. Anything else (a damaged row) is passed as an escaped string.
        let payload = event.payload.utf8
        if payload.first == UInt8(ascii: "{"), payload.last == UInt8(ascii: "}"), payload.count >= 2 {
            if payload.count > 2 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: payload.dropFirst())
        } else {
            out.append(contentsOf: #","payload":""#.utf8)
            JSONText.appendEscaped(event.payload, to: &out)
            out.append(contentsOf: #""}"#.utf8)
        }
    }

    /// The object for `event` as bytes.
    public static func encode(_ event: LoggedEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(event.payload.utf8.count + 96)
        append(event, to: &out)
        return out
    }
}
