import FieldtraceCore
import FieldtraceStore

/// Server-Sent Events wire format (WHATWG HTML, "server-sent events"): one event is
///
///     id: 12
///     event: geofence.enter
///     data: {"id":12,…}
///
/// followed by an empty line. The `id` is the event id, so a reconnecting `EventSource` sends it
/// back as `Last-Event-ID` and the stream resumes after it. A line starting with `:` is a comment:
/// keep-alives are comments, so proxies do not close an idle stream and clients ignore them.
public enum ServerSentEvents {
    /// Content type of the stream.
    public static let contentType = "text/event-stream"

    /// Appends the frame of `event` to `out`; returns the range of the JSON object within `out`.
    @discardableResult
    public static func appendFrame(_ event: LoggedEvent, to out: inout [UInt8]) -> Range<Int> {
        out.append(contentsOf: "id: ".utf8)
        out.append(contentsOf: String(event.id).utf8)
        out.append(contentsOf: "\nevent: ".utf8)
        appendLineSafe(event.kind.rawValue, to: &out)
        out.append(contentsOf: "\ndata: ".utf8)
        let start = out.count
        EventJSON.append(event, to: &out)
        let end = out.count
        out.append(contentsOf: "\n\n".utf8)
        return start..<end
    }

    /// A keep-alive comment (sent when a stream has been idle for the keep-alive interval).
    public static let keepAlive: [UInt8] = Array(": keep-alive\n\n".utf8)

    /// The first bytes of a stream: the client's reconnection delay, ms (2 s: quick enough for a
    /// dashboard, slow enough not to hammer a restarting server).
    public static func preamble(retryMs: Int = 2000) -> [UInt8] {
        Array("retry: \(retryMs)\n\n".utf8)
    }

    /// The last frame before the server closes a stream it dropped: event `fieldtrace.dropped`,
    /// data `{"reason":…,"message":…,"last_event_id":…}`. The client reconnects with the
    /// `Last-Event-ID` it has and loses nothing.
    public static func droppedFrame(reason: String, message: String, lastEventID: Int64) -> [UInt8] {
        var out = Array("event: fieldtrace.dropped\ndata: {\"reason\":\"".utf8)
        JSONText.appendEscaped(reason, to: &out)
        out.append(contentsOf: "\",\"message\":\"".utf8)
        JSONText.appendEscaped(message, to: &out)
        out.append(contentsOf: "\",\"last_event_id\":\(lastEventID)}\n\n".utf8)
        return out
    }

    /// A field value with CR and LF replaced by spaces (a line break would end the field).
    static func appendLineSafe(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            out.append(byte == 10 || byte == 13 ? UInt8(ascii: " ") : byte)
        }
    }
}
