import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The facts of one run every shard shares, fixed when the run starts.
struct RunPlan: Sendable {
    let configuration: LoadConfiguration
    /// The server address of each protocol, by `LoadProtocol.ordinal` (nil: not in this run).
    let addresses: [SocketAddress?]
    let intervalUs: Int64
    let durationUs: Int64
    let drainUs: Int64
    let ackTimeoutUs: Int64
    let sendPeriodUs: Int64
    let trackPeriodSeconds: Int
    /// Wall clock (ms since the Unix epoch) at the run's start: fix times are `startMs` plus
    /// the schedule.
    var startMs: Int64 = 0
    /// Monotonic clock (ns) at the run's start: the schedule runs on it, immune to clock steps.
    var startNs: UInt64 = 0

    init(_ c: LoadConfiguration, addresses: [SocketAddress?]) {
        configuration = c
        self.addresses = addresses
        intervalUs = c.intervalMicroseconds
        durationUs = Int64(c.durationSeconds * 1_000_000)
        drainUs = Int64(c.drainSeconds * 1_000_000)
        ackTimeoutUs = c.ackTimeoutMs * 1000
        sendPeriodUs = c.sendPeriodMs * 1000
        let duration = Int(c.durationSeconds.rounded(.up)) + 1
        trackPeriodSeconds =
            c.trackPeriodSeconds ?? min(duration, max(60, 20_000_000 / max(1, c.devices)))
    }

    func address(_ p: LoadProtocol) -> SocketAddress { addresses[p.ordinal]! }

    /// The distinct addresses in use, in order of first use: UDP sockets are connected to one each.
    var distinctAddresses: [SocketAddress] {
        var out: [SocketAddress] = []
        for p in configuration.protocols where !out.contains(address(p)) { out.append(address(p)) }
        return out
    }

    /// µs since the run's start (negative before it).
    @inline(__always)
    func nowUs() -> Int64 {
        Int64(bitPattern: NIODeadline.now().uptimeNanoseconds &- startNs) / 1000
    }

    /// Scheduled fixes of a device whose first fix is `phaseUs` into the run.
    func fixCount(phaseUs: Int64) -> Int {
        phaseUs >= durationUs ? 0 : Int((durationUs - phaseUs + intervalUs - 1) / intervalUs)
    }

    static func wallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
