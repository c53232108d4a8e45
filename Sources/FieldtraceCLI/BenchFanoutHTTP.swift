import FieldtraceAPI
import FieldtraceCore
import FieldtraceDelivery
import FieldtraceIngest
import FieldtraceStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// `bench-fanout --transport http`: the API on a loopback port and `--subscribers` TCP clients of
/// `GET /v1/events/stream`.
extension BenchFanoutCommand {
    func runHTTP() async throws {
        let directory = NSTemporaryDirectory() + "fieldtrace-bench-fanout-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TrackStore(directory: directory)
        defer { try? store.close() }
        let log = try EventLog(catalog: store.catalog)
        var logger = Logger(label: "fieldtrace.bench")
        logger.logLevel = .warning
        let broadcaster = EventBroadcaster(eventLog: log, logger: logger)
        var configuration = APIConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.osmandPort = nil
        configuration.rateLimitPerSecond = 0  // every subscriber of a tenant shares its token
        let services = APIServices(
            store: store, eventLog: log, sink: DiscardingSink(), configuration: configuration, nowMs: WallClock.nowMs,
            logger: logger, eventBroadcaster: broadcaster)
        let secrets = try (0..<tenants).map { t in
            try TokenIssuer.issue(
                access: services.access, tenant: "t\(t)", role: .analyst, name: "bench-fanout", nowMs: WallClock.nowMs()
            ).secret
        }
        let server = APIServer(services: services)
        let serviceGroup = ServiceGroup(services: server.services + [broadcaster], logger: logger)
        let clients = MultiThreadedEventLoopGroup(numberOfThreads: clientThreads ?? System.coreCount)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await serviceGroup.run() }
            guard let port = await server.waitUntilListening()["api"] else {
                throw BenchError(description: "the API did not listen")
            }
            while !broadcaster.isRunning { try await Task.sleep(for: .milliseconds(1)) }

            let times = AppendTimes(count: appends + 1)
            let recorder = LagRecorder()
            let probe = SSEProbe(
                times: times, perAppend: Int64(perAppend), tenants: Int64(tenants), events: Int64(appends * perAppend),
                recorder: recorder)
            var channels: [any Channel] = []
            for i in 0..<subscribers {
                let tenant = i % tenants
                let handler = SSEClientHandler(probe: probe, tenant: Int64(tenant))
                let channel = try await ClientBootstrap(group: clients)
                    .channelInitializer { $0.pipeline.addHandler(handler) }
                    .connect(host: "127.0.0.1", port: port).get()
                let request =
                    "GET /v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(secrets[tenant])\r\n"
                    + "Accept: text/event-stream\r\n\r\n"
                try await channel.writeAndFlush(ByteBuffer(string: request)).get()
                channels.append(channel)
            }
            // Every stream answered (its subscription exists before the response head is sent).
            let waitStart = ContinuousClock.now
            while probe.streamsOpen < subscribers {
                if probe.failures > 0 || ContinuousClock.now - waitStart > .seconds(60) {
                    throw BenchError(
                        description: "\(probe.streamsOpen) of \(subscribers) streams opened, \(probe.failures) refused")
                }
                try await Task.sleep(for: .milliseconds(10))
            }

            probe.start = ContinuousClock.now
            let start = probe.start
            try await appendEvents(to: log, times: times, start: start)
            let appended = ContinuousClock.now - start
            while recorder.subscribersDone < subscribers, ContinuousClock.now - start < .seconds(seconds + 60) {
                try await Task.sleep(for: .milliseconds(50))
            }
            for channel in channels { channel.close(promise: nil) }
            // Closed streams end their responses; then the server stops.
            try await Task.sleep(for: .milliseconds(200))
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            report(recorder.result(), appended: appended)
        }
        try await clients.shutdownGracefully()
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// A fix sink for the bench's API: nothing is posted to it.
struct DiscardingSink: FixSink {
    func accept(_ batch: [Fix]) async throws -> FixReceipt { FixReceipt(accepted: batch.count) }
}

/// What the SSE clients share: when each append began, the event numbering, the results.
final class SSEProbe: @unchecked Sendable {  // `start` is written once before any event is appended
    let times: AppendTimes
    let perAppend: Int64
    let tenants: Int64
    /// Events appended in all.
    let events: Int64
    let recorder: LagRecorder
    var start = ContinuousClock.now
    private let opened = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    init(times: AppendTimes, perAppend: Int64, tenants: Int64, events: Int64, recorder: LagRecorder) {
        self.times = times
        self.perAppend = perAppend
        self.tenants = tenants
        self.events = events
        self.recorder = recorder
    }

    var streamsOpen: Int { opened.load(ordering: .relaxed) }
    var failures: Int { refused.load(ordering: .relaxed) }
    func streamOpened() { opened.add(1, ordering: .relaxed) }
    func streamRefused() { refused.add(1, ordering: .relaxed) }

    /// The last event id of tenant `t`: events are numbered from 1 and event `i` of an append
    /// goes to tenant `i mod tenants` (appends hold a multiple of `tenants` events).
    func lastID(tenant t: Int64) -> Int64 { events - tenants + t + 1 }
}

/// One SSE client on its channel's event loop. Reads the response head (200 expected), then for
/// each read finds the last complete `id: N` line, scanning back from the end (O(last event),
/// not O(bytes): the client must cost less than the server it measures). Every event up to `N` of
/// its tenant arrived with this read, each counted with the lag of the oldest of them (an upper
/// bound, like the in-process mode).
final class SSEClientHandler: ChannelInboundHandler, @unchecked Sendable {  // confined to one event loop
    typealias InboundIn = ByteBuffer

    let probe: SSEProbe
    let last: Int64
    /// The last id seen; before any, the id before the tenant's first.
    var seen: Int64
    var histogram = LagHistogram()
    var bytes = 0
    var head = true
    var done = false

    init(probe: SSEProbe, tenant: Int64) {
        self.probe = probe
        seen = tenant + 1 - probe.tenants
        last = probe.lastID(tenant: tenant)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !done else { return }
        bytes += buffer.readableBytes
        let newest = buffer.withUnsafeReadableBytes { raw -> Int64? in
            if head {
                head = false
                guard raw.starts(with: "HTTP/1.1 200".utf8) else {
                    probe.streamRefused()
                    return nil
                }
                probe.streamOpened()
            }
            return Self.lastEventID(raw)
        }
        guard let newest, newest > seen else { return }
        let oldest = seen + probe.tenants
        let arrived = Int((newest - seen) / probe.tenants)
        seen = newest
        let sent = probe.times.time(ofAppend: Int((oldest - 1) / probe.perAppend), start: probe.start)
        histogram.add(ContinuousClock.now - sent, count: arrived)
        if newest >= last {
            finish(dropped: false)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(dropped: true)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func finish(dropped: Bool) {
        guard !done else { return }
        done = true
        probe.recorder.merge(histogram, bytes: bytes, dropped: dropped)
    }

    /// The value of the last complete `id: N` line (at a line start, ended by a newline).
    static func lastEventID(_ raw: UnsafeRawBufferPointer) -> Int64? {
        var p = raw.count - 4
        while p >= 0 {
            if raw[p] == UInt8(ascii: "i"), raw[p + 1] == UInt8(ascii: "d"), raw[p + 2] == UInt8(ascii: ":"),
                raw[p + 3] == UInt8(ascii: " "), p == 0 || raw[p - 1] == 10
            {
                var value: Int64 = 0
                var q = p + 4
                while q < raw.count, raw[q] >= 48, raw[q] <= 57 {
                    value = value &* 10 &+ Int64(raw[q] - 48)
                    q += 1
                }
                if q < raw.count, raw[q] == 10, q > p + 4 { return value }
            }
            p -= 1
        }
        return nil
    }
}
