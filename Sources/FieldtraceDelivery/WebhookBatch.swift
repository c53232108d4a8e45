import FieldtraceCore
import FieldtraceStore

/// The events of one webhook request and its body:
///
///     {"webhook":3,"events":[{"id":12,…},{"id":15,…}]}
///
/// Events go in small batches rather than one per request: a receiver far away (50 ms a round
/// trip) still keeps up with thousands of events a second, and a batch is retried as a whole.
/// Ids are ascending; a retry sends the same ids (the same events, the same body), so a receiver
/// drops repeats by event id (or keeps the greatest id it processed and drops anything at or
/// below it).
public struct WebhookBatch: Sendable, Hashable {
    public var webhook: Int64
    public var ids: [Int64]
    public var body: [UInt8]
    /// The cursor after this batch is acknowledged: its last event, or further when events after
    /// it were skipped by the filter.
    public var coveredThrough: Int64

    /// Picks from `page` (one tenant's events after the cursor, ascending) the events that pass
    /// `accepts`, at most `maxEvents` and about `maxBodyBytes` (one event always fits).
    /// `coveredThrough` is the last id of the page examined (picked or skipped); with no batch it
    /// is where the cursor may skip to (nil for an empty page).
    public static func select(
        webhook: Int64, page: [LoggedEvent], accepts: (LoggedEvent) -> Bool, maxEvents: Int, maxBodyBytes: Int
    ) -> (batch: WebhookBatch?, coveredThrough: Int64?) {
        var body = Array(#"{"webhook":\#(webhook),"events":["#.utf8)
        var ids: [Int64] = []
        var covered: Int64?
        var event = [UInt8]()
        for e in page {
            if accepts(e) {
                event.removeAll(keepingCapacity: true)
                EventJSON.append(e, to: &event)
                if !ids.isEmpty && (ids.count == maxEvents || body.count + event.count + 2 > maxBodyBytes) { break }
                if !ids.isEmpty { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: event)
                ids.append(e.id)
            }
            covered = e.id
        }
        body.append(contentsOf: "]}".utf8)
        guard let covered else { return (nil, nil) }
        if ids.isEmpty { return (nil, covered) }
        return (WebhookBatch(webhook: webhook, ids: ids, body: body, coveredThrough: covered), covered)
    }

    /// The signed request: `Content-Type`, `Fieldtrace-Signature` (at `timestampSeconds`),
    /// `Fieldtrace-Event-Ids`, `Fieldtrace-Webhook-Id`, `Fieldtrace-Attempt`, `User-Agent`.
    public func request(url: String, secret: String, timestampSeconds: Int64, attempt: Int) -> WebhookRequest {
        WebhookRequest(
            url: url,
            headers: [
                ("Content-Type", "application/json"),
                ("User-Agent", "Fieldtrace-Webhooks/1"),
                (
                    WebhookSignature.header,
                    WebhookSignature.sign(body: body, secret: secret, timestamp: timestampSeconds)
                ),
                (WebhookSignature.eventIDsHeader, ids.map(String.init).joined(separator: ",")),
                ("Fieldtrace-Webhook-Id", String(webhook)),
                ("Fieldtrace-Attempt", String(attempt)),
            ], body: body)
    }
}
