import FieldtraceTestSupport
import NIOCore
import NIOPosix

/// The devices one event loop drives. Everything here runs on `loop` (ticks, connection
/// callbacks, reads), so it needs no lock; other threads only read the final snapshot through
/// `loop.submit`.
///
/// Every tick services the devices whose `wake` time has come: records their due fixes, moves
/// them on- and offline, handles timeouts, connects, and sends what is due. Acks arrive in
/// the channel handlers and send the next frame at once, without waiting for a tick.
final class LoadShard: @unchecked Sendable {
    let loop: any EventLoop
    let index: Int
    var plan: RunPlan
    /// The devices, in a buffer allocated once: mutated in place, no copy-on-write checks.
    let dev: UnsafeMutableBufferPointer<SimulatedDevice>
    var tracks: [DeviceTrack] = []
    /// µs since the start at which each device next needs service.
    var wake: [Int64]
    var tcp: [TCPDeviceHandler?]
    var readers: [ReplyReader?]
    var udp: [UDPSocket] = []
    var counters = [LoadCounters](repeating: LoadCounters(), count: LoadProtocol.allCases.count)
    var latency = [LatencyHistogram](repeating: LatencyHistogram(), count: LoadProtocol.allCases.count)
    var ledger: LedgerBuffer
    var jt808 = JT808Frames()
    var replyScratch: [Reply] = []
    var rng: SeededRandom
    /// Devices still recording, and fixes recorded but not yet acked or given up.
    var recordingDevices: Int
    var outstanding = 0
    /// This shard's share of `maxBufferedFixes`.
    let bufferCap: Int
    var task: RepeatedTask?
    var isFinished = false
    let finished: EventLoopPromise<Void>

    init(loop: any EventLoop, index: Int, plan: RunPlan, devices: [SimulatedDevice], ledger: LedgerFile?) {
        self.loop = loop
        self.index = index
        self.plan = plan
        dev = .allocate(capacity: devices.count)
        _ = dev.initialize(from: devices)
        wake = devices.map { $0.phaseUs }
        tcp = Array(repeating: nil, count: devices.count)
        readers = Array(repeating: nil, count: devices.count)
        self.ledger = LedgerBuffer(file: ledger)
        rng = SeededRandom(seed: plan.configuration.seed &+ UInt64(index) &* 0x9E37)
        recordingDevices = devices.count
        bufferCap = max(1, plan.configuration.maxBufferedFixes * devices.count / max(1, plan.configuration.devices))
        finished = loop.makePromise()
    }

    deinit {
        dev.deinitialize()
        dev.deallocate()
    }

    var isTCP: Bool { plan.configuration.target.transport == .tcp }

    /// Simulates each device's movement (CPU work, before the clock starts).
    func prepare() {
        tracks = (0..<dev.count).map { i in
            DeviceTrack(
                seed: plan.configuration.seed, worker: dev[i].globalIndex, startMs: 0,
                periodSeconds: plan.trackPeriodSeconds)
        }
    }

    /// Starts ticking; `tick` is the scheduling granularity.
    func start(_ plan: RunPlan, tick: TimeAmount) {
        self.plan = plan
        // TCP connections open over a ramp (10,000 a second, at most 10 s) instead of all at once:
        // a burst of SYNs beyond the server's accept backlog would be retried only after 1 s.
        let n = Int64(plan.configuration.devices)
        let rampUs = min(10_000_000, n * 100)
        for i in 0..<dev.count {
            if dev[i].fixCount == 0 { recordingDevices -= 1 }
            if isTCP {
                let k = Int64(dev[i].globalIndex - plan.configuration.firstDevice)
                dev[i].retryAtUs = rampUs * k / max(1, n)
                wake[i] = min(wake[i], dev[i].retryAtUs)
            } else {
                dev[i].link = .ready
            }
        }
        task = loop.scheduleRepeatedTask(initialDelay: .zero, delay: tick) { [self] _ in self.tick() }
    }

    func tick() {
        guard !isFinished else { return }
        let now = plan.nowUs()
        guard now >= 0 else { return }
        for i in 0..<dev.count where wake[i] <= now { service(i, now) }
        flushUDP()
        if now >= plan.durationUs && recordingDevices == 0 && outstanding == 0 {
            finish()
        } else if now >= plan.durationUs + plan.drainUs {
            finish()
        }
    }

    // MARK: Recording

    /// Records every fix whose scheduled time has come.
    func record(_ i: Int, _ now: Int64) {
        let p = dev[i].proto
        let resolution = p.timeResolutionMs
        while dev[i].nextFix < dev[i].fixCount {
            let tUs = dev[i].phaseUs + Int64(dev[i].nextFix) * plan.intervalUs
            guard tUs <= now else { break }
            dev[i].nextFix += 1
            if dev[i].nextFix == dev[i].fixCount { recordingDevices -= 1 }
            counters[p.ordinal].recorded += 1
            guard dev[i].link != .refused else {
                counters[p.ordinal].rejected += 1
                continue
            }
            guard outstanding < bufferCap else {
                counters[p.ordinal].dropped += 1
                continue
            }
            var timeMs = plan.startMs + tUs / 1000
            timeMs -= timeMs % resolution
            let late = dev[i].isOffline(tUs)
            let fix = tracks[i].fix(relativeMs: tUs / 1000, timeMs: timeMs, backlog: late)
            if late { dev[i].backlog.append(fix) } else { dev[i].live.append(fix) }
            outstanding += 1
        }
    }

    // MARK: Service

    func service(_ i: Int, _ now: Int64) {
        record(i, now)
        let p = dev[i].proto
        if dev[i].link == .refused {
            wake[i] = nextFixUs(i)
            return
        }
        if dev[i].isOffline(now) {
            if dev[i].link != .offline { goOffline(i) }
            wake[i] = min(nextFixUs(i), dev[i].offline!.upperBound)
            return
        }
        if dev[i].link == .offline {
            dev[i].link = isTCP ? .down : .ready
            dev[i].retryAtUs = now
        }
        switch dev[i].link {
        case .down:
            if now >= dev[i].retryAtUs && (dev[i].outstanding > 0 || dev[i].nextFix < dev[i].fixCount) {
                connect(i, now)
            }
        case .login:
            if now - dev[i].loginSentUs > plan.ackTimeoutUs {
                counters[p.ordinal].timeouts += 1
                drop(i, now)
            }
        case .ready:
            if !isTCP && !udp[dev[i].udpSocket].isWritable {
                // The socket is backed up: keep everything for a later tick (timeouts included).
                wake[i] = now + 1
                return
            }
            if p == .nmea {
                sendNMEA(i, now)
            } else if let f = dev[i].inFlight {
                if f.needsResend {
                    transmit(i, now)
                } else if now - f.sentUs > plan.ackTimeoutUs {
                    counters[p.ordinal].timeouts += 1
                    timedOut(i, now)
                }
            } else {
                sendNext(i, now)
            }
        case .connecting, .offline, .refused:
            break
        }
        wake[i] = nextWake(i, now)
    }

    func nextFixUs(_ i: Int) -> Int64 {
        dev[i].nextFix < dev[i].fixCount
            ? dev[i].phaseUs + Int64(dev[i].nextFix) * plan.intervalUs : Int64.max
    }

    func fixUs(_ i: Int, _ k: Int) -> Int64 { dev[i].phaseUs + Int64(k) * plan.intervalUs }

    /// When the device's next recorded fix can change what it sends. Fixes are recorded lazily
    /// (at the next service, ack or login): a device waiting for an ack, or filling a Teltonika
    /// packet, is not woken for every fix. Its last fix always wakes it, so recording completes.
    func fixWake(_ i: Int, _ now: Int64) -> Int64 {
        let d = dev[i]
        guard d.nextFix < d.fixCount else { return Int64.max }
        let last = fixUs(i, d.fixCount - 1)
        guard d.link == .ready, d.inFlight == nil else { return last }
        guard d.proto == .teltonika else { return fixUs(i, d.nextFix) }
        let missing = plan.configuration.recordsPerFrame(.teltonika) - d.live.count - d.backlog.count
        let full = missing > 0 ? fixUs(i, min(d.nextFix + missing - 1, d.fixCount - 1)) : now
        let due =
            d.sendDueUs(startMs: plan.startMs, sendPeriodUs: plan.sendPeriodUs)
            ?? fixUs(i, d.nextFix) + plan.sendPeriodUs
        return min(full, due, last)
    }

    /// The earliest time the device needs service again.
    func nextWake(_ i: Int, _ now: Int64) -> Int64 {
        var w = fixWake(i, now)
        if let offline = dev[i].offline, offline.lowerBound > now { w = min(w, offline.lowerBound) }
        switch dev[i].link {
        case .down:
            if dev[i].outstanding > 0 || dev[i].nextFix < dev[i].fixCount {
                w = min(w, max(dev[i].retryAtUs, now + 1))
            }
        case .login:
            w = min(w, dev[i].loginSentUs + plan.ackTimeoutUs + 1)
        case .ready:
            if let f = dev[i].inFlight {
                w = min(w, f.needsResend ? now + 1 : f.sentUs + plan.ackTimeoutUs + 1)
            } else if dev[i].proto == .nmea {
                if dev[i].outstanding > 0 { w = min(w, now + 1) }
            } else if let due = dev[i].sendDueUs(startMs: plan.startMs, sendPeriodUs: plan.sendPeriodUs) {
                w = min(w, dev[i].nextFix == dev[i].fixCount ? now + 1 : max(due, now + 1))
            } else if dev[i].outstanding > 0 {
                w = min(w, now + 1)
            }
        case .offline:
            if let offline = dev[i].offline { w = min(w, offline.upperBound) }
        case .connecting, .refused:
            break
        }
        return w
    }

    // MARK: Sending

    /// Sends the next frame if one is due and none is in flight.
    func sendNext(_ i: Int, _ now: Int64) {
        guard dev[i].link == .ready, dev[i].inFlight == nil,
            let p = dev[i].plan(
                nowUs: now, startMs: plan.startMs, recordsPerFrame: plan.configuration.recordsPerFrame(dev[i].proto),
                sendPeriodUs: plan.sendPeriodUs, final: dev[i].nextFix == dev[i].fixCount)
        else { return }
        dev[i].inFlight = .init(
            live: p.live, backlog: p.backlog, kind: p.kind, serial: dev[i].nextSerial(), sentUs: now, attempts: 0,
            needsResend: false)
        transmit(i, now)
    }

    /// Writes the frame in flight (again, if it was sent before).
    func transmit(_ i: Int, _ now: Int64) {
        guard var f = dev[i].inFlight else { return }
        let p = dev[i].proto.ordinal
        f.attempts += 1
        f.sentUs = now
        f.needsResend = false
        if f.attempts == 1 {
            counters[p].sent += f.fixes
            counters[p].framesSent += 1
            counters[p].backlogSent += f.backlog
        } else {
            counters[p].resent += f.fixes
            counters[p].framesResent += 1
        }
        dev[i].inFlight = f
        if isTCP {
            guard let handler = tcp[i] else { return }
            var buffer = handler.allocator.buffer(capacity: 64 + f.fixes * 64)
            writeFrame(i, f, into: &buffer)
            counters[p].bytesSent += buffer.readableBytes
            handler.send(buffer)
        } else {
            writeDatagram(i, f)
        }
    }

    /// NMEA has no acks: every recorded fix is written once, at most 25 live and 25 backlog
    /// epochs per service, so a device back from offline or from a stalled socket does not
    /// flood it.
    func sendNMEA(_ i: Int, _ now: Int64) {
        let p = LoadProtocol.nmea.ordinal
        let live = min(dev[i].live.count, 25)
        let late = min(dev[i].backlog.count, 25)
        guard live + late > 0 else { return }
        let gga = plan.configuration.nmeaIncludesGGA
        if isTCP {
            guard let handler = tcp[i], handler.isWritable else { return }
            var buffer = handler.allocator.buffer(capacity: (live + late) * NMEAFrames.maxEpochBytes)
            for fix in dev[i].live.prefix(live) { NMEAFrames.writeEpoch(fix, includeGGA: gga, into: &buffer) }
            for fix in dev[i].backlog.prefix(late) { NMEAFrames.writeEpoch(fix, includeGGA: gga, into: &buffer) }
            counters[p].bytesSent += buffer.readableBytes
            handler.send(buffer)
        } else {
            let s = dev[i].udpSocket
            let before = udp[s].pendingBytes
            defer { counters[p].bytesSent += udp[s].pendingBytes - before }
            for fix in dev[i].live.prefix(live) {
                udp[s].datagram { buffer in
                    buffer.writeBytes(dev[i].prefix)
                    NMEAFrames.writeEpoch(fix, includeGGA: gga, into: &buffer)
                }
            }
            for fix in dev[i].backlog.prefix(late) {
                udp[s].datagram { buffer in
                    buffer.writeBytes(dev[i].prefix)
                    NMEAFrames.writeEpoch(fix, includeGGA: gga, into: &buffer)
                }
            }
        }
        dev[i].live.removeFirst(live)
        dev[i].backlog.removeFirst(late)
        counters[p].sent += live + late
        counters[p].framesSent += live + late
        counters[p].backlogSent += late
        outstanding -= live + late
    }
}
