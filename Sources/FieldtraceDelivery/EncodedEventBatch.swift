import FieldtraceCore
import FieldtraceStore
import NIOCore

/// A page of the event log encoded once for every stream consumer: the SSE frames of all its
/// events in one `ByteBuffer`, plus, per event, what filters need and where its frame lies.
/// Subscribers share the batch by reference; one whose filter takes every event of the batch
/// writes `sse` itself (no copy: `ByteBuffer` is copy-on-write), others get slices or a copy of
/// their events only.
///
/// A batch covers the ids `(floor, lastID]`: every event of the log in that range (for the
/// broadcaster's batches), or every event of one tenant (for a catch-up page).
public final class EncodedEventBatch: Sendable {
    public struct Entry: Sendable, Hashable {
        public let id: Int64
        public let tenant: String
        public let device: DeviceID
        public let kind: String
        /// The event's SSE frame within `sse`.
        public let frame: Range<Int>
        /// The event's JSON object within `sse` (inside its `data:` line).
        public let json: Range<Int>
    }

    public let entries: [Entry]
    public let sse: ByteBuffer
    /// The id before the range this batch covers.
    public let floor: Int64
    /// The last id covered (the last entry's id, or `floor` when empty).
    public let lastID: Int64
    /// Events per tenant, so the broadcaster skips a subscriber whose tenant has none in O(1).
    public let tenantCounts: [String: Int]
    /// For a batch of several tenants: each tenant's entries and frames, built once here, so a
    /// subscriber that wants all of its tenant's events neither filters nor copies.
    let tenantSlices: [String: TenantSlice]

    struct TenantSlice: Sendable {
        let indices: [Int]
        let sse: ByteBuffer
    }

    /// Encodes `events` (ascending ids, all `> floor`).
    public init(_ events: [LoggedEvent], floor: Int64) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events.reduce(0) { $0 + $1.payload.utf8.count + 160 })
        var entries: [Entry] = []
        entries.reserveCapacity(events.count)
        var counts: [String: Int] = [:]
        for event in events {
            let start = bytes.count
            let json = ServerSentEvents.appendFrame(event, to: &bytes)
            entries.append(
                Entry(
                    id: event.id, tenant: event.tenant, device: event.device, kind: event.kind.rawValue,
                    frame: start..<bytes.count, json: json))
            counts[event.tenant, default: 0] += 1
        }
        var slices: [String: TenantSlice] = [:]
        if counts.count > 1 {
            var parts: [String: (indices: [Int], bytes: [UInt8])] = [:]
            for (i, entry) in entries.enumerated() {
                parts[entry.tenant, default: ([], [])].indices.append(i)
                parts[entry.tenant]!.bytes.append(contentsOf: bytes[entry.frame])
            }
            for (tenant, part) in parts {
                slices[tenant] = TenantSlice(indices: part.indices, sse: ByteBuffer(bytes: part.bytes))
            }
        }
        self.tenantSlices = slices
        self.entries = entries
        self.sse = ByteBuffer(bytes: bytes)
        self.floor = floor
        self.lastID = events.last?.id ?? floor
        self.tenantCounts = counts
    }

    /// The events that pass `filter` with `id > after`, as a chunk; nil when none does.
    public func chunk(matching filter: EventFilter, after: Int64) -> EventChunk? {
        if filter.isTenantOnly {
            guard tenantCounts[filter.tenant] != nil else { return nil }
            if let slice = tenantSlices[filter.tenant], entries[slice.indices[0]].id > after {
                return EventChunk(batch: self, indices: .tenant(slice))
            }
        }
        guard let first = entries.firstIndex(where: { $0.id > after }) else { return nil }
        if filter.isTenantOnly && tenantCounts.count == 1 {
            return EventChunk(batch: self, indices: .range(first..<entries.count))
        }
        var picked: [Int] = []
        for i in first..<entries.count {
            let e = entries[i]
            if filter.accepts(tenant: e.tenant, kind: e.kind, device: e.device) { picked.append(i) }
        }
        guard let low = picked.first, let high = picked.last else { return nil }
        if high - low + 1 == picked.count { return EventChunk(batch: self, indices: .range(low..<(high + 1))) }
        return EventChunk(batch: self, indices: .list(picked))
    }
}

/// What one subscriber gets from one batch: some of its events, in id order.
public struct EventChunk: Sendable {
    enum Indices: Sendable {
        case range(Range<Int>)
        case list([Int])
        /// All of one tenant's events of the batch, with their frames prebuilt.
        case tenant(EncodedEventBatch.TenantSlice)
    }

    let batch: EncodedEventBatch
    let indices: Indices

    /// The chunk's entries (ids, kinds, devices), in id order.
    public var entries: [EncodedEventBatch.Entry] {
        switch indices {
        case .range(let r): Array(batch.entries[r])
        case .list(let l): l.map { batch.entries[$0] }
        case .tenant(let t): t.indices.map { batch.entries[$0] }
        }
    }

    /// The first `n` (>= 1) events of the chunk.
    public func prefix(_ n: Int) -> EventChunk {
        precondition(n >= 1, "a chunk has at least one event")
        return switch indices {
        case .range(let r):
            EventChunk(batch: batch, indices: .range(r.lowerBound..<min(r.upperBound, r.lowerBound + n)))
        case .list(let l): EventChunk(batch: batch, indices: .list(Array(l.prefix(n))))
        case .tenant(let t):
            n >= t.indices.count ? self : EventChunk(batch: batch, indices: .list(Array(t.indices.prefix(n))))
        }
    }

    /// Calls `body` with each entry, in order (no array built).
    public func forEachEntry(_ body: (EncodedEventBatch.Entry) -> Void) {
        switch indices {
        case .range(let r): for i in r { body(batch.entries[i]) }
        case .list(let l): for i in l { body(batch.entries[i]) }
        case .tenant(let t): for i in t.indices { body(batch.entries[i]) }
        }
    }

    public var count: Int {
        switch indices {
        case .range(let r): r.count
        case .list(let l): l.count
        case .tenant(let t): t.indices.count
        }
    }

    /// The id of the last event (what a client resumes after).
    public var lastID: Int64 {
        switch indices {
        case .range(let r): batch.entries[r.upperBound - 1].id
        case .list(let l): batch.entries[l[l.count - 1]].id
        case .tenant(let t): batch.entries[t.indices[t.indices.count - 1]].id
        }
    }

    /// The id of the first event.
    public var firstID: Int64 {
        switch indices {
        case .range(let r): batch.entries[r.lowerBound].id
        case .list(let l): batch.entries[l[0]].id
        case .tenant(let t): batch.entries[t.indices[0]].id
        }
    }

    /// The SSE frames of the chunk's events: the shared buffer or a slice of it when the events
    /// are contiguous in the batch (no copy), else a new buffer.
    public var sse: ByteBuffer {
        switch indices {
        case .range(let r):
            let start = batch.entries[r.lowerBound].frame.lowerBound
            let end = batch.entries[r.upperBound - 1].frame.upperBound
            if start == 0 && end == batch.sse.readableBytes { return batch.sse }
            return batch.sse.getSlice(at: batch.sse.readerIndex + start, length: end - start)!
        case .list(let l):
            var out = ByteBufferAllocator().buffer(
                capacity: l.reduce(0) { $0 + batch.entries[$1].frame.count })
            for i in l {
                var slice = batch.sse.getSlice(
                    at: batch.sse.readerIndex + batch.entries[i].frame.lowerBound,
                    length: batch.entries[i].frame.count)!
                out.writeBuffer(&slice)
            }
            return out
        case .tenant(let t):
            return t.sse
        }
    }

    /// The JSON object of each event, in order (for consumers that are not SSE).
    public var jsonObjects: [ByteBuffer] {
        entries.map { batch.sse.getSlice(at: batch.sse.readerIndex + $0.json.lowerBound, length: $0.json.count)! }
    }
}
