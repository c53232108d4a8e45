/// The outcome of a run: counters and ack latencies per protocol, and for the whole run.
public struct LoadReport: Sendable {
    public struct Part: Sendable {
        public var proto: LoadProtocol
        public var devices: Int
        public var counters: LoadCounters
        public var latency: LatencyHistogram
    }

    public var configuration: LoadConfiguration
    public var parts: [Part]
    /// Wall time from the start until every fix was delivered or the drain ended, s.
    public var elapsedSeconds: Double
    /// CPU time of this process (user + system), s.
    public var cpuSeconds: Double

    public var total: LoadCounters {
        parts.reduce(into: LoadCounters()) { $0.merge($1.counters) }
    }

    public var totalLatency: LatencyHistogram {
        parts.reduce(into: LatencyHistogram()) { $0.merge($1.latency) }
    }

    /// `key=value` lines: a header, one per protocol, and `total`. Ack latency quantiles are
    /// `-` where no ack was received (NMEA has none).
    public func lines() -> [String] {
        let c = configuration
        var out = [
            "simulate target=\(c.target) devices=\(c.devices) rate_hz=\(Self.number(c.rateHz)) "
                + "duration_s=\(Self.number(c.durationSeconds)) protocols=\(c.protocols.map(\.rawValue).joined(separator: ",")) "
                + "seed=\(c.seed) offline_share=\(Self.number(c.offlineShare))"
        ]
        for part in parts {
            out.append("protocol=\(part.proto) devices=\(part.devices) " + Self.fields(part.counters, part.latency))
        }
        let t = total
        out.append(
            "total " + Self.fields(t, totalLatency) + " elapsed_s=\(Self.number(elapsedSeconds))"
                + " recorded_per_s=\(Self.number(Double(t.recorded) / max(min(c.durationSeconds, elapsedSeconds), 1e-9)))"
                + " sent_per_s=\(Self.number(Double(t.sent) / max(elapsedSeconds, 1e-9)))"
                + " acked_per_s=\(Self.number(Double(t.acked) / max(elapsedSeconds, 1e-9)))"
                + " cpu_s=\(Self.number(cpuSeconds))")
        return out
    }

    static func fields(_ c: LoadCounters, _ h: LatencyHistogram) -> String {
        let p50 = h.quantileMilliseconds(0.5).map(number) ?? "-"
        let p99 = h.quantileMilliseconds(0.99).map(number) ?? "-"
        return
            "recorded=\(c.recorded) dropped=\(c.dropped) sent=\(c.sent) acked=\(c.acked) rejected=\(c.rejected) resent=\(c.resent) "
            + "unacked=\(c.unacked) backlog_sent=\(c.backlogSent) frames=\(c.framesSent) "
            + "frames_resent=\(c.framesResent) nacks=\(c.nacks) timeouts=\(c.timeouts) connects=\(c.connects) "
            + "connect_failures=\(c.connectFailures) disconnects=\(c.disconnects) stale_acks=\(c.staleAcks) "
            + "bytes=\(c.bytesSent) ack_p50_ms=\(p50) ack_p99_ms=\(p99)"
    }

    /// At most 3 decimals, no exponent.
    static func number(_ v: Double) -> String {
        let scaled = (v * 1000).rounded()
        guard scaled.magnitude < 9e15 else { return String(v) }
        let i = Int64(scaled)
        let whole = i / 1000
        var fraction = (i % 1000).magnitude
        if fraction == 0 { return String(whole) }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let f = String(fraction)
        return (i < 0 && whole == 0 ? "-" : "") + String(whole) + "."
            + String(repeating: "0", count: digits - f.count) + f
    }
}
