import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceEngine
import FieldtraceStore
import FieldtraceTestSupport
import FieldtraceWire
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `fieldtrace engine-bench`: drives the engine in-process (store, duplicate filter, shards,
/// `DeviceAnalytics`, event log; no sockets) with simulated devices that each send a fix every
/// `--interval-s` of engine time, and prints what it cost: heap bytes in use per device
/// (glibc `mallinfo2`), peak RSS, CPU seconds (user + sys, `getrusage`) per million fixes.
/// Engine time is simulated (a round of fixes per interval, then a `tick`), so idle sealing,
/// offline and eviction happen as in a run of `rounds × interval` seconds, in much less.
///
/// For instruction counts run it under `valgrind --tool=callgrind` twice with different
/// `--rounds` and divide the difference by the extra fixes (setup cancels out).
/// `--mode analytics` runs only `DeviceAnalytics` per device (no engine), the analysis' own cost.
struct EngineBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-bench",
        abstract: "Measure the engine's memory per device and CPU per fix, in-process (no sockets).",
        shouldDisplay: false)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        /// The whole engine with `DeviceAnalytics`.
        case engine
        /// The whole engine with an analyzer that does nothing (the engine's own cost).
        case null
        /// `DeviceAnalytics` alone, one per device.
        case analytics
        /// Per-connection decoder memory: `--devices` decoders of each protocol, fresh and after
        /// one location frame (JT/T 808, GT06, NMEA).
        case decoders
    }

    @Option(help: "engine, null (engine with a do-nothing analyzer) or analytics (DeviceAnalytics alone).")
    var mode = Mode.engine
    @Option(help: "Simulated devices.") var devices = 10_000
    @Option(help: "Rounds: each device sends one fix per round.") var rounds = 60
    @Option(name: .customLong("interval-s"), help: "Fix time (and engine time) between rounds, seconds.")
    var intervalSeconds = 10
    @Option(help: "Fixes per accepted batch (of different devices, like a vectored UDP read).") var batch = 64
    @Option(help: "Batches accepted concurrently.") var concurrency = 16
    @Option(help: "Distinct simulated tracks (device i follows track i mod this, shifted).") var tracks = 64
    @Option(help: "Analyzer copies per device kept for late data (EngineConfiguration.maxSnapshots).")
    var maxSnapshots: Int?
    @Option(help: "Analysis shards (default: the core count).") var shards: Int?
    @Option(help: "Data directory (default: a temporary one, removed at the end).") var data: String?

    func validate() throws {
        guard devices >= 1, rounds >= 0, intervalSeconds >= 1, batch >= 1, concurrency >= 1, tracks >= 1 else {
            throw ValidationError("devices, interval-s, batch, concurrency, tracks must be >= 1, rounds >= 0")
        }
    }

    func run() async throws {
        let startMs: Int64 = 1_790_000_000_000
        let paths = makeTracks(startMs: startMs)
        let ids = (0..<devices).map { DeviceID(String(format: "bench-%07d", $0))! }
        func fix(device i: Int, round r: Int) -> Fix {
            let track = paths[i % paths.count]
            var f = track[r % track.count]
            f.device = ids[i]
            // Rounds beyond the track repeat it, later; devices sharing a track are shifted apart.
            f.timeMs = startMs + Int64(r) * Int64(intervalSeconds) * 1000
            f.receivedMs = f.timeMs + 200
            f.latitudeE7 &+= Int32(i / paths.count) * 1_000
            return f
        }
        let before = MemoryStats.now()
        let cpu0 = MemoryStats.cpuSeconds()
        switch mode {
        case .decoders:
            measureDecoders(fix: fix(device: 0, round: 0))
        case .analytics:
            var analyzers = ids.map { DeviceAnalytics(device: $0, setup: AnalyticsSetup()) }
            var events: [AnalyticsEvent] = []
            var emitted = 0
            for r in 0..<rounds {
                for i in 0..<devices {
                    analyzers[i].process(fix(device: i, round: r), into: &events)
                    emitted += events.count
                    events.removeAll(keepingCapacity: true)
                }
            }
            report(before: before, cpu0: cpu0, extra: "events=\(emitted)")
            print(
                "inline_bytes DeviceAnalytics=\(MemoryLayout<DeviceAnalytics>.size) AnalyticsSetup=\(MemoryLayout<AnalyticsSetup>.size)"
                    + " TripBuilder=\(MemoryLayout<TripBuilder>.size) StopDetector=\(MemoryLayout<StopDetector>.size)"
                    + " KalmanTracker=\(MemoryLayout<KalmanTracker>.size) SanityFilter=\(MemoryLayout<SanityFilter>.size)"
                    + " GeofenceMonitor?=\(MemoryLayout<GeofenceMonitor?>.size) OverspeedDetector?=\(MemoryLayout<OverspeedDetector?>.size)"
                    + " Fix=\(MemoryLayout<Fix>.stride)")
            withExtendedLifetime(analyzers) {}
        case .engine:
            try await runEngine(
                DeviceAnalytics.self, setup: AnalyticsSetup(), startMs: startMs, before: before, cpu0: cpu0, fix: fix)
        case .null:
            try await runEngine(NullAnalyzer.self, setup: (), startMs: startMs, before: before, cpu0: cpu0, fix: fix)
        }
    }

    private func runEngine<A: DeviceAnalyzer>(
        _: A.Type, setup: A.Setup, startMs: Int64, before: MemoryStats, cpu0: Double,
        fix: (Int, Int) -> Fix
    ) async throws {
        let directory = data ?? NSTemporaryDirectory() + "fieldtrace-engine-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if data == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let store = try TrackStore(directory: directory)
        let log = try EventLog(catalog: store.catalog)
        var configuration = EngineConfiguration(shardCount: shards ?? EngineConfiguration.processorCount)
        if let maxSnapshots { configuration.maxSnapshots = maxSnapshots }
        let clock = Atomic<Int64>(startMs)
        let engine = Engine<A>(
            store: store, eventLog: log, configuration: configuration, nowMs: { clock.load(ordering: .relaxed) },
            profile: { _ in DeviceProfile(setup: setup) })
        engine.start()
        let opened = MemoryStats.now()
        var cpuAfterFirstRound = cpu0
        for r in 0..<rounds {
            let now = startMs + Int64(r) * Int64(intervalSeconds) * 1000 + 500
            clock.store(now, ordering: .relaxed)
            let batches = stride(from: 0, to: devices, by: batch).map { start in
                (start..<min(devices, start + batch)).map { fix($0, r) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for b in batches {
                    if inFlight == concurrency {
                        try await group.next()
                        inFlight -= 1
                    }
                    group.addTask { _ = try await engine.accept(b) }
                    inFlight += 1
                }
                try await group.waitForAll()
            }
            try await engine.tick(nowMs: now)
            if r == 0 {
                await engine.barrier()
                cpuAfterFirstRound = MemoryStats.cpuSeconds()
            }
        }
        await engine.barrier()
        let loaded = MemoryStats.now()
        let cpu1 = MemoryStats.cpuSeconds()
        try store.flush()
        let sealed = MemoryStats.now()
        let m = engine.metrics()
        print(
            "engine-bench mode=\(mode.rawValue) devices=\(devices) rounds=\(rounds) interval_s=\(intervalSeconds)"
                + " max_snapshots=\(configuration.maxSnapshots) shards=\(configuration.shardCount)")
        print(
            "fixes_accepted=\(m.fixesAccepted) fixes_analysed=\(m.fixesAnalysed) events=\(m.eventsEmitted)"
                + " devices_in_memory=\(m.devicesInMemory)")
        let n = Double(devices)
        print(
            String(
                format:
                    "heap_bytes_per_device: engine_open=%.0f after_run=%.0f after_store_flush=%.0f (store buffers %.0f)",
                Double(opened.heapBytes - before.heapBytes) / n, Double(loaded.heapBytes - before.heapBytes) / n,
                Double(sealed.heapBytes - before.heapBytes) / n, Double(loaded.heapBytes - sealed.heapBytes) / n))
        printCPU(cpu1 - cpu0, fixes: rounds * devices)
        print(
            String(
                format: "first round (every device loaded): cpu_s=%.2f; later rounds: cpu_s_per_million_fixes=%.2f",
                cpuAfterFirstRound - cpu0, (cpu1 - cpuAfterFirstRound) / Double(max(1, (rounds - 1) * devices)) * 1e6))
        print("rss_mib=\(loaded.rssKiB / 1024) peak_rss_mib=\(MemoryStats.now().peakRSSKiB / 1024)")
        try await engine.shutdown()
        try store.close()
    }

    private func measureDecoders(fix: Fix) {
        var location = JT808Encoder(phone: "013912345678")
        let jt808 = location.frame(messageID: 0x0200, body: JT808Encoder.locationBody(fix))
        let gt06 = GT06Encoder.login(imei: "359710041234567") + GT06Encoder.location(fix, serial: 2)
        let nmea = NMEAEncoder.stream([fix])
        func measure<D: WireDecoder>(_: D.Type, _ frame: [UInt8]?) {
            let before = MemoryStats.now()
            var decoders = (0..<devices).map { _ in D(configuration: WireConfiguration()) }
            let fresh = MemoryStats.now()
            if let frame {
                var output = WireOutput()
                frame.withUnsafeBytes { bytes in
                    for i in decoders.indices {
                        decoders[i].consume(bytes, receivedMs: fix.timeMs + 1000, into: &output)
                        output.clearBatch()
                    }
                }
            }
            let used = MemoryStats.now()
            let n = Double(devices)
            print(
                String(
                    format: "decoder %@: inline_bytes=%d heap_bytes_fresh=%.0f heap_bytes_after_frame=%@",
                    "\(D.wireProtocol)", MemoryLayout<D>.size, Double(fresh.heapBytes - before.heapBytes) / n,
                    frame == nil ? "-" : String(format: "%.0f", Double(used.heapBytes - before.heapBytes) / n)))
            withExtendedLifetime(decoders) {}
        }
        measure(JT808Decoder.self, jt808)
        measure(GT06Decoder.self, gt06)
        measure(NMEADecoder.self, nmea)
        measure(NMEADatagramDecoder.self, nil)
        measure(TeltonikaTCPDecoder.self, nil)
        measure(TeltonikaUDPDecoder.self, nil)
        measure(OsmAndDecoder.self, nil)
    }

    private func report(before: MemoryStats, cpu0: Double, extra: String) {
        let now = MemoryStats.now()
        print(
            "engine-bench mode=\(mode.rawValue) devices=\(devices) rounds=\(rounds) interval_s=\(intervalSeconds) \(extra)"
        )
        print(String(format: "heap_bytes_per_device=%.0f", Double(now.heapBytes - before.heapBytes) / Double(devices)))
        printCPU(MemoryStats.cpuSeconds() - cpu0, fixes: rounds * devices)
        print("rss_mib=\(now.rssKiB / 1024) peak_rss_mib=\(now.peakRSSKiB / 1024)")
    }

    private func printCPU(_ seconds: Double, fixes: Int) {
        print(
            String(
                format: "cpu_s=%.2f fixes=%d cpu_s_per_million_fixes=%.2f us_per_fix=%.3f", seconds, fixes,
                seconds / Double(max(1, fixes)) * 1e6, seconds / Double(max(1, fixes)) * 1e6))
    }

    /// `tracks` simulated worker days, sampled every `intervalSeconds`, `rounds` fixes long.
    private func makeTracks(startMs: Int64) -> [[Fix]] {
        let length = max(1, min(rounds, 8_640))
        return (0..<min(tracks, devices)).map { t in
            var configuration = FleetSimulator.Configuration()
            configuration.intervalSeconds = intervalSeconds
            var simulator = FleetSimulator(seed: 1_000 + UInt64(t), configuration: configuration)
            let track = simulator.track(
                device: DeviceID("bench")!, startMs: startMs, durationSeconds: length * intervalSeconds,
                latitude: 31.2304 + Double(t % 17 - 8) * 0.01, longitude: 121.4737 + Double(t % 13 - 6) * 0.012)
            return track.isEmpty
                ? [
                    Fix(
                        device: DeviceID("bench")!, timeMs: startMs, latitudeE7: 312_304_000, longitudeE7: 1_214_737_000
                    )
                ] : track
        }
    }
}

/// An analyzer that does nothing: the engine's own cost per fix.
struct NullAnalyzer: DeviceAnalyzer {
    typealias Setup = Void
    init(device: DeviceID, setup: Void) {}
    mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {}
    mutating func finish(into events: inout [AnalyticsEvent]) {}
}

/// Heap in use (glibc `mallinfo2`: arena bytes in use plus mmapped blocks) and RSS.
struct MemoryStats {
    var heapBytes: Int
    var rssKiB: Int
    var peakRSSKiB: Int

    static func now() -> MemoryStats {
        let info = mallinfo2()
        var rss = 0
        var peak = 0
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") {
                let parts = line.split(whereSeparator: \.isWhitespace)
                guard parts.count >= 2, let value = Int(parts[1]) else { continue }
                if parts[0] == "VmRSS:" { rss = value }
                if parts[0] == "VmHWM:" { peak = value }
            }
        }
        return MemoryStats(heapBytes: info.inUseBytes, rssKiB: rss, peakRSSKiB: peak)
    }

    /// glibc's `struct mallinfo2` (ten `size_t`), which the Glibc module does not export.
    struct MallInfo2 {
        var arena = 0, ordblks = 0, smblks = 0, hblks = 0, hblkhd = 0, usmblks = 0, fsmblks = 0
        var uordblks = 0, fordblks = 0, keepcost = 0
        /// Bytes allocated and not freed: in the arenas plus in mmapped blocks.
        var inUseBytes: Int { uordblks + hblkhd }
    }

    /// `mallinfo2()`, looked up at run time. It returns its 80-byte struct through a hidden
    /// pointer (x86-64 System V), so it is called as a function taking that pointer.
    static func mallinfo2() -> MallInfo2 {
        var info = MallInfo2()
        // Valgrind replaces malloc: its mallinfo2 is not glibc's (set this to skip it).
        guard getenv("FIELDTRACE_BENCH_NO_MALLINFO") == nil else { return info }
        #if arch(x86_64)
            typealias Function = @convention(c) (UnsafeMutableRawPointer) -> Void
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallinfo2") {
                withUnsafeMutableBytes(of: &info) { unsafeBitCast(symbol, to: Function.self)($0.baseAddress!) }
            }
        #endif
        return info
    }

    /// User plus system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
