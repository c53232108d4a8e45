import FieldtraceDelivery
import FieldtraceEngine
import FieldtraceIngest
import FieldtraceStore
import FieldtraceWire

/// Renders the ingest counters, the engine's metrics and the ack-latency histogram in the
/// Prometheus text exposition format (version 0.0.4). Computed per scrape from the components'
/// own counters: nothing on the hot path knows about Prometheus.
struct ServeMetrics: Sendable {
    let ingest: IngestServer
    let engine: AnalyticsEngine
    let sink: AckLatencySink
    let deliverer: WebhookDeliverer
    /// The SSE fan-out; nil when the API is off.
    let broadcaster: EventBroadcaster?

    func render() -> String {
        var out = PrometheusText()
        let counters = ingest.counters()
        let listeners = counters.listeners.sorted { $0.key.rawValue < $1.key.rawValue }
        func perListener(_ name: String, _ type: String, _ help: String, _ value: (IngestListenerCounters) -> Int) {
            out.header(name, type, help)
            for (listener, c) in listeners {
                out.sample(name, ["listener": listener.rawValue, "protocol": "\(listener.wireProtocol)"], value(c))
            }
        }
        perListener("fieldtrace_ingest_frames_total", "counter", "Frames decoded, valid or not.") { $0.wire.frames }
        perListener("fieldtrace_ingest_fixes_total", "counter", "Fixes decoded.") { $0.wire.fixes }
        perListener("fieldtrace_ingest_frames_ignored_total", "counter", "Frames understood and not turned into fixes.")
        {
            $0.wire.ignored
        }
        out.header("fieldtrace_ingest_rejections_total", "counter", "Rejected frames by protocol and reason.")
        for (listener, c) in listeners {
            for (reason, count) in c.wire.rejected.sorted(by: { $0.key < $1.key }) {
                out.sample(
                    "fieldtrace_ingest_rejections_total",
                    ["listener": listener.rawValue, "protocol": "\(listener.wireProtocol)", "reason": "\(reason)"],
                    count)
            }
        }
        perListener("fieldtrace_ingest_acks_total", "counter", "Ack messages written after durability.") { $0.acksSent }
        perListener("fieldtrace_ingest_replies_total", "counter", "Every reply message written.") { $0.repliesSent }
        perListener("fieldtrace_ingest_bytes_received_total", "counter", "Payload bytes read.") { $0.bytesReceived }
        perListener("fieldtrace_ingest_batches_accepted_total", "counter", "Batches made durable.") {
            $0.batchesAccepted
        }
        perListener("fieldtrace_ingest_fixes_accepted_total", "counter", "Fixes in batches made durable.") {
            $0.fixesAccepted
        }
        perListener("fieldtrace_ingest_sink_failures_total", "counter", "Batches whose accept threw (no ack).") {
            $0.sinkFailures
        }
        perListener("fieldtrace_ingest_connections_open", "gauge", "TCP connections open.") { $0.connectionsOpen }
        perListener("fieldtrace_ingest_connections_refused_total", "counter", "TCP connections refused by caps.") {
            $0.connectionsRefused
        }
        perListener("fieldtrace_ingest_datagrams_total", "counter", "UDP datagrams read.") { $0.datagramsReceived }
        perListener("fieldtrace_ingest_datagrams_shed_total", "counter", "UDP datagrams shed (sink not keeping up).") {
            $0.datagramsShed
        }
        out.header("fieldtrace_ingest_connections_closed_total", "counter", "TCP connections closed by reason.")
        for (listener, c) in listeners {
            for (reason, count) in c.closedBy.sorted(by: { $0.key < $1.key }) {
                out.sample(
                    "fieldtrace_ingest_connections_closed_total",
                    ["listener": listener.rawValue, "reason": reason.rawValue], count)
            }
        }

        let m = engine.metrics()
        let engineCounters: [(String, String, Int)] = [
            ("batches_accepted_total", "Batches acknowledged by the engine.", m.batchesAccepted),
            ("fixes_accepted_total", "Fixes newly made durable (WAL, fsynced).", m.fixesAccepted),
            ("fixes_duplicate_total", "Fixes acked as resends of durable ones.", m.fixesDuplicate),
            ("fixes_rejected_total", "Fixes refused as unstorable.", m.fixesRejected),
            ("fixes_not_analysed_total", "Fixes stored but kept out of the analysis.", m.fixesNotAnalysed),
            ("batches_failed_total", "Batches whose accept threw.", m.batchesFailed),
            ("shard_queue_waits_total", "Accepts that waited for room in a shard queue.", m.shardQueueWaits),
            ("devices_sealed_total", "Devices sealed into segments.", m.devicesSealed),
            ("seal_flushes_total", "Seal flushes (segments written, WAL checkpointed).", m.sealFlushes),
            ("fixes_analysed_total", "Fixes fed to the live analysis.", m.fixesAnalysed),
            ("fixes_late_total", "Late fixes re-analysed.", m.fixesLate),
            ("late_reanalyses_total", "Late-window re-analyses.", m.lateReanalyses),
            ("events_total", "Events written to the event log.", m.eventsEmitted),
            ("events_late_total", "Events flagged late.", m.eventsLate),
            ("corrections_total", "Correction events.", m.corrections),
            ("devices_loaded_total", "Devices whose state was rebuilt from the store.", m.devicesLoaded),
            ("devices_evicted_total", "Devices whose state was dropped after silence.", m.devicesEvicted),
        ]
        for (name, help, value) in engineCounters {
            out.header("fieldtrace_engine_" + name, "counter", help)
            out.sample("fieldtrace_engine_" + name, [:], value)
        }
        let gauges: [(String, String, Int)] = [
            ("devices_online", "Devices online.", m.devicesOnline),
            ("devices_in_memory", "Devices with analysis state in memory.", m.devicesInMemory),
            ("fixes_held_for_reorder", "Fixes held in reorder buffers.", m.fixesHeldForReorder),
            ("failed", "1 when the engine stopped after a failure.", m.failed ? 1 : 0),
        ]
        for (name, help, value) in gauges {
            out.header("fieldtrace_engine_" + name, "gauge", help)
            out.sample("fieldtrace_engine_" + name, [:], value)
        }
        out.header("fieldtrace_engine_shard_queue_depth", "gauge", "Messages waiting in each shard's queue.")
        for (index, depth) in m.shardQueueDepths.enumerated() {
            out.sample("fieldtrace_engine_shard_queue_depth", ["shard": "\(index)"], depth)
        }

        let wal = engine.store.walStatistics
        out.header("fieldtrace_wal_commits_total", "counter", "WAL commits: one write and one fsync each.")
        out.sample("fieldtrace_wal_commits_total", [:], wal.commits)
        out.header("fieldtrace_wal_batches_total", "counter", "Batches made durable by those commits (group commit).")
        out.sample("fieldtrace_wal_batches_total", [:], wal.batches)
        out.header("fieldtrace_wal_bytes_total", "counter", "Record bytes written to the WAL.")
        out.sample("fieldtrace_wal_bytes_total", [:], wal.bytes)
        let fsync = "fieldtrace_wal_fsync_duration_seconds"
        out.header(
            fsync, "histogram", "Duration of a WAL commit (write + fsync): what every ack of the group waits for.")
        var cumulative = 0
        for (i, count) in wal.buckets.enumerated() {
            cumulative += count
            let bound = i < WALStatistics.bucketBounds.count ? "\(WALStatistics.bucketBounds[i])" : "+Inf"
            out.sample(fsync + "_bucket", ["le": bound], cumulative)
        }
        out.line("\(fsync)_sum \(Double(wal.totalNanoseconds) / 1e9)")
        out.line("\(fsync)_count \(wal.commits)")
        out.header("fieldtrace_wal_fsync_max_seconds", "gauge", "The longest WAL commit since the start.")
        out.line("fieldtrace_wal_fsync_max_seconds \(Double(wal.maxNanoseconds) / 1e9)")

        let d = deliverer.metrics()
        let webhookCounters: [(String, String, Int)] = [
            ("requests_delivered_total", "Webhook requests the receiver answered 2xx.", d.requestsDelivered),
            ("events_delivered_total", "Events in those requests.", d.eventsDelivered),
            ("attempts_failed_total", "Webhook attempts that failed (refused, timed out, non-2xx).", d.attemptsFailed),
            (
                "batches_abandoned_total", "Batches given up after the retry horizon (recorded in the delivery log).",
                d.batchesAbandoned
            ),
        ]
        for (name, help, value) in webhookCounters {
            out.header("fieldtrace_webhook_" + name, "counter", help)
            out.sample("fieldtrace_webhook_" + name, [:], value)
        }
        out.header("fieldtrace_webhook_subscriptions_active", "gauge", "Webhook subscriptions being delivered.")
        out.sample("fieldtrace_webhook_subscriptions_active", [:], d.workers)
        if let broadcaster {
            out.header("fieldtrace_sse_subscribers", "gauge", "Open event streams (/v1/events/stream).")
            out.sample("fieldtrace_sse_subscribers", [:], broadcaster.subscriberCount)
        }

        let h = sink.snapshot()
        let name = "fieldtrace_accept_duration_seconds"
        out.header(name, "histogram", "Time from a batch handed to the engine to durable (what an ack waits for).")
        for (bound, count) in h.buckets { out.sample(name + "_bucket", ["le": bound], count) }
        out.line("\(name)_sum \(h.sumSeconds)")
        out.line("\(name)_count \(h.count)")
        return out.text
    }
}

/// A Prometheus text-format writer.
struct PrometheusText {
    var text = ""

    mutating func header(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Int) {
        if labels.isEmpty {
            text += "\(name) \(value)\n"
            return
        }
        let body = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
        text += "\(name){\(body.joined(separator: ","))} \(value)\n"
    }

    mutating func line(_ line: String) { text += line + "\n" }

    static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
