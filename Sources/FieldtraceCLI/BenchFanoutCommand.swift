import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Foundation
import Logging
import Synchronization

/// `fieldtrace bench-fanout`: the event fan-out measurement (issue 6 bar 2): appends events to a
/// fresh event log at a fixed rate while `--subscribers` SSE subscribers read them through one
/// `EventBroadcaster`, and prints the lag from just before each event's append to its arrival at
/// each subscriber (p50, p99, max), over every (event, subscriber) pair (each event of a chunk
/// counted with the lag of the chunk's oldest event: an upper bound), and the deliveries per
/// second. The writer runs on its own thread; the printed rate is the one it achieved.
///
/// - `--transport http` (default): the API (`buildAPIRouter`, with authentication, rate limit
///   off) on a loopback port, and each subscriber a real TCP connection sending
///   `GET /v1/events/stream` with a bearer token and reading the SSE bytes (the server's whole
///   path: routing, auth, the response body writer, the kernel's sockets). In one process,
///   because the broadcaster wakes on appends made through the same `EventLog`.
/// - `--transport memory`: in-process subscriptions; each subscriber takes the SSE bytes of each
///   chunk (what an SSE response would write), no HTTP.
///
/// Release builds only: `swift build -c release --product fieldtrace`.
struct BenchFanoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-fanout",
        abstract: "Measure event fan-out lag to many in-process SSE subscribers (issue 6 bar 2).",
        shouldDisplay: false)

    enum Transport: String, ExpressibleByArgument, CaseIterable {
        case http, memory
    }

    @Option(help: "http (SSE over loopback TCP connections to the API) or memory (in-process subscriptions).")
    var transport = Transport.http
    @Option(help: "Subscribers.") var subscribers = 1000
    @Option(help: "Events appended per second.") var rate = 10_000
    @Option(help: "Seconds of appending.") var seconds = 10
    @Option(help: "Append interval, ms (rate x interval events per append).") var intervalMs = 10
    @Option(help: "Tenants; events and subscribers are spread over them (1: every subscriber gets every event).")
    var tenants = 1
    @Option(help: "Client event loop threads (http transport; default: the core count).") var clientThreads: Int?

    func validate() throws {
        guard subscribers > 0, rate > 0, seconds > 0, intervalMs > 0, tenants > 0 else {
            throw ValidationError("every option must be positive")
        }
        guard rate * intervalMs >= 1000 else { throw ValidationError("rate x interval must be at least one event") }
        guard (rate * intervalMs / 1000) % tenants == 0 else {
            throw ValidationError("rate x interval / 1000 (events per append) must be a multiple of --tenants")
        }
    }

    var perAppend: Int { rate * intervalMs / 1000 }
    var appends: Int { seconds * 1000 / intervalMs }

    func run() async throws {
        switch transport {
        case .http: try await runHTTP()
        case .memory: try await runInProcess()
        }
    }

    func runInProcess() async throws {
        let directory = NSTemporaryDirectory() + "fieldtrace-bench-fanout-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = try Catalog(path: directory + "/catalog.sqlite")
        let log = try EventLog(catalog: catalog)
        let broadcaster = EventBroadcaster(eventLog: log, logger: Logger(label: "bench"))
        let times = AppendTimes(count: appends + 1)
        let recorder = LagRecorder()
        let start = ContinuousClock.now

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await broadcaster.run() }
            while !broadcaster.isRunning { try await Task.sleep(for: .milliseconds(1)) }
            let subs = try (0..<subscribers).map { i in
                try broadcaster.subscribe(EventFilter(tenant: "t\(i % tenants)"))
            }
            let expected = appends * perAppend / tenants
            for s in subs {
                group.addTask {
                    var histogram = LagHistogram()
                    var received = 0
                    var bytes = 0
                    var dropped = false
                    do {
                        for try await item in s {
                            guard case .events(let chunk) = item else { continue }
                            bytes += chunk.sse.readableBytes
                            // The chunk's oldest event sets the lag of all its events (an upper bound, and
                            // O(1) per chunk, so the measurement does not cost more than the delivery).
                            let sent = times.time(ofAppend: Int((chunk.firstID - 1) / Int64(perAppend)), start: start)
                            histogram.add(ContinuousClock.now - sent, count: chunk.count)
                            received += chunk.count
                            if received >= expected { break }
                        }
                    } catch {
                        dropped = true
                    }
                    recorder.merge(histogram, bytes: bytes, dropped: dropped)
                }
            }
            try await appendEvents(to: log, times: times, start: start)
            let appended = ContinuousClock.now - start
            // Wait for every subscriber, then stop the broadcaster.
            var finished = 0
            while finished < subscribers {
                try await Task.sleep(for: .milliseconds(50))
                finished = recorder.subscribersDone
                if ContinuousClock.now - start > .seconds(seconds + 60) { break }
            }
            group.cancelAll()
            report(recorder.result(), appended: appended)
        }
    }

    /// Appends `perAppend` events every `--interval-ms` on a thread of its own (the subscribers'
    /// tasks cannot starve it), on schedule from `start`, recording when each append began. Event
    /// `i` of an append goes to tenant `t(i mod tenants)`.
    func appendEvents(to log: EventLog, times: AppendTimes, start: ContinuousClock.Instant) async throws {
        let (writerTenants, writerIntervalMs, perAppend, appends) = (tenants, intervalMs, perAppend, appends)
        let device = DeviceID("bench-1")!
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    var next = start
                    for k in 0..<appends {
                        next = next + .milliseconds(writerIntervalMs)
                        let batch = (0..<perAppend).map { i in
                            NewEvent(
                                tenant: "t\(i % writerTenants)",
                                event: AnalyticsEvent(
                                    kind: EventKind("geofence.enter"), device: device, timeMs: Int64(k),
                                    confirmedAtMs: Int64(k), subject: "site-\(i)",
                                    attributes: [.init("distance_m", .double(12.5))]),
                                detectedMs: 0, step: nil)
                        }
                        times.set(append: k, at: ContinuousClock.now - start)
                        try log.append(batch)
                        let wait = next - ContinuousClock.now
                        if wait > .zero {
                            let c = wait.components
                            var ts = timespec(tv_sec: Int(c.seconds), tv_nsec: Int(c.attoseconds / 1_000_000_000))
                            nanosleep(&ts, nil)
                        }
                    }
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    /// Prints the result line.
    func report(_ r: LagRecorder.Result, appended: Duration) {
        let appendSeconds = Double(appended.components.seconds) + Double(appended.components.attoseconds) / 1e18
        let eventsPerSecond = Double(appends * perAppend) / appendSeconds
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        print(
            """
            bench-fanout transport=\(transport.rawValue) subscribers=\(subscribers) tenants=\(tenants) \
            events=\(appends * perAppend) rate_events_per_s=\(Int(eventsPerSecond)) deliveries=\(r.count) \
            deliveries_per_s=\(Int(Double(r.count) / r.elapsedSeconds)) dropped_subscribers=\(r.dropped) \
            sse_mb=\(r.bytes >> 20) \
            lag_p50_ms=\(fmt(r.quantile(0.5))) lag_p99_ms=\(fmt(r.quantile(0.99))) lag_max_ms=\(fmt(r.maxMs)) \
            cpu_s=\(fmt(cpu))
            """)
    }

    func fmt(_ v: Double) -> String { String(format: "%.2f", v) }
}

/// When each append started, relative to the run's start (one atomic per append: subscribers
/// read while the writer writes).
final class AppendTimes: @unchecked Sendable {  // atomics behind a pointer set once
    let nanoseconds: UnsafeMutablePointer<Atomic<Int64>>
    let count: Int

    init(count: Int) {
        self.count = count
        nanoseconds = .allocate(capacity: count)
        for i in 0..<count { (nanoseconds + i).initialize(to: Atomic(0)) }
    }

    deinit { nanoseconds.deallocate() }

    func set(append k: Int, at offset: Duration) {
        let c = offset.components
        nanoseconds[k].store(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000, ordering: .releasing)
    }

    func time(ofAppend k: Int, start: ContinuousClock.Instant) -> ContinuousClock.Instant {
        start + .nanoseconds(nanoseconds[min(k, count - 1)].load(ordering: .acquiring))
    }
}

/// Lag counts: 10 µs buckets below 1 ms, then 1 ms buckets up to 10 s (and one beyond).
struct LagHistogram: Sendable {
    var buckets = [UInt32](repeating: 0, count: 100 + 10_001)
    var maxNs: Int64 = 0

    mutating func add(_ lag: Duration, count: Int = 1) {
        let c = lag.components
        let ns = max(0, c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
        maxNs = max(maxNs, ns)
        let us = ns / 1000
        let index = us < 1000 ? Int(us / 10) : 100 + Int(min(us / 1000, 10_000))
        buckets[index] &+= UInt32(truncatingIfNeeded: count)
    }

    /// The upper edge of bucket `i`, ms.
    static func upperMs(_ i: Int) -> Double { i < 100 ? Double(i + 1) / 100 : Double(i - 100 + 1) }
}

/// Merges every subscriber's histogram; the deliveries per second run from its creation to the
/// last subscriber's end.
final class LagRecorder: Sendable {
    let started = ContinuousClock.now
    let state = Mutex<
        (histogram: [UInt64], maxNs: Int64, bytes: Int, done: Int, dropped: Int, end: ContinuousClock.Instant)
    >(
        ([UInt64](repeating: 0, count: 100 + 10_001), 0, 0, 0, 0, ContinuousClock.now))

    var subscribersDone: Int { state.withLock { $0.done } }

    func merge(_ h: LagHistogram, bytes: Int, dropped: Bool) {
        state.withLock { s in
            if dropped { s.dropped += 1 }
            for i in h.buckets.indices { s.histogram[i] += UInt64(h.buckets[i]) }
            s.maxNs = max(s.maxNs, h.maxNs)
            s.bytes += bytes
            s.done += 1
            s.end = ContinuousClock.now
        }
    }

    struct Result {
        let histogram: [UInt64]
        let maxMs: Double
        let bytes: Int
        let dropped: Int
        let elapsedSeconds: Double
        var count: UInt64 { histogram.reduce(0, +) }

        func quantile(_ q: Double) -> Double {
            let target = UInt64((Double(count) * q).rounded(.up))
            var seen: UInt64 = 0
            for (i, n) in histogram.enumerated() {
                seen += n
                if seen >= target && n > 0 { return LagHistogram.upperMs(i) }
            }
            return maxMs
        }
    }

    func result() -> Result {
        state.withLock {
            let elapsed = ($0.end - started).components
            return Result(
                histogram: $0.histogram, maxMs: Double($0.maxNs) / 1e6, bytes: $0.bytes, dropped: $0.dropped,
                elapsedSeconds: max(1e-9, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18))
        }
    }
}
