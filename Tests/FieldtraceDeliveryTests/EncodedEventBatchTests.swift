import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import NIOCore
import Testing

@Suite struct EncodedEventBatchTests {
    @Test func aTenantsChunkOfAMixedBatchHoldsExactlyItsFramesInOrder() throws {
        let data = try TestData()
        defer { data.directory.remove() }
        for round in 0..<4 {
            try data.append(2, tenant: "t1", device: "w\(round)")
            try data.append(1, tenant: "t2")
        }
        let events = try data.log.read(after: 0, limit: 100)
        let batch = EncodedEventBatch(events, floor: 0)
        for tenant in ["t1", "t2"] {
            let mine = events.filter { $0.tenant == tenant }
            var expected: [UInt8] = []
            for e in mine { ServerSentEvents.appendFrame(e, to: &expected) }
            let chunk = try #require(batch.chunk(matching: EventFilter(tenant: tenant), after: 0))
            #expect(chunk.entries.map(\.id) == mine.map(\.id) && chunk.count == mine.count)
            #expect(Array(buffer: chunk.sse) == expected)
            #expect(chunk.firstID == mine.first?.id && chunk.lastID == mine.last?.id)
            // Resuming in the middle of the batch, and a prefix, take the general path.
            let later = try #require(batch.chunk(matching: EventFilter(tenant: tenant), after: mine[1].id))
            #expect(later.entries.map(\.id) == mine.dropFirst(2).map(\.id))
            #expect(chunk.prefix(1).entries.map(\.id) == [mine[0].id])
        }
        #expect(batch.chunk(matching: EventFilter(tenant: "t3"), after: 0) == nil)
        let w2 = try #require(batch.chunk(matching: EventFilter(tenant: "t1", devices: [DeviceID("w2")!]), after: 0))
        #expect(w2.entries.map(\.device.rawValue) == ["w2", "w2"])
    }
}
