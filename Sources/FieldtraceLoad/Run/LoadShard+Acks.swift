import NIOCore

/// What happens when the server answers a frame, refuses a device, or the run ends.
extension LoadShard {
    // MARK: Replies

    /// The frame in flight was acknowledged in full.
    func acked(_ i: Int, _ now: Int64) {
        guard let f = dev[i].inFlight else { return }
        let p = dev[i].proto.ordinal
        latency[p].record(microseconds: now - f.sentUs)
        for fix in dev[i].backlog.prefix(f.backlog) { ledger.append(device: dev[i].id, timeMs: fix.timeMs) }
        for fix in dev[i].live.prefix(f.live) { ledger.append(device: dev[i].id, timeMs: fix.timeMs) }
        dev[i].backlog.removeFirst(f.backlog)
        dev[i].live.removeFirst(f.live)
        counters[p].acked += f.fixes
        complete(i)
        record(i, now)
        sendNext(i, now)
        wake[i] = nextWake(i, now)
    }

    /// The server answered the frame in flight negatively: resend it, twice at most, then give up.
    func nacked(_ i: Int, _ now: Int64) {
        guard let f = dev[i].inFlight else { return }
        let p = dev[i].proto.ordinal
        counters[p].nacks += 1
        if f.attempts < 3 {
            transmit(i, now)
        } else {
            counters[p].rejected += f.fixes
            dev[i].backlog.removeFirst(f.backlog)
            dev[i].live.removeFirst(f.live)
            complete(i)
            sendNext(i, now)
        }
        wake[i] = nextWake(i, now)
    }

    /// Clears the frame in flight after it was acked or given up.
    func complete(_ i: Int) {
        guard let f = dev[i].inFlight else { return }
        outstanding -= f.fixes
        if !isTCP { udp[dev[i].udpSocket].release(dev[i].packetID, device: i) }
        dev[i].inFlight = nil
    }

    /// The device is logged in: resend what was in flight, then carry on.
    func loggedIn(_ i: Int, _ now: Int64) {
        dev[i].link = .ready
        dev[i].failedLogins = 0
        dev[i].backoffUs = 0
        record(i, now)
        if dev[i].inFlight != nil {
            transmit(i, now)
        } else if dev[i].proto == .nmea {
            sendNMEA(i, now)
        } else {
            sendNext(i, now)
        }
        wake[i] = nextWake(i, now)
    }

    /// The server refused the device: everything it holds, and will record, is rejected.
    func refused(_ i: Int) {
        let p = dev[i].proto.ordinal
        let n = dev[i].outstanding
        counters[p].rejected += n
        outstanding -= n
        if !isTCP, dev[i].inFlight != nil { udp[dev[i].udpSocket].release(dev[i].packetID, device: i) }
        dev[i].inFlight = nil
        dev[i].live.removeFirst(dev[i].live.count)
        dev[i].backlog.removeFirst(dev[i].backlog.count)
        dev[i].link = .refused
        closeConnection(i)
    }

    // MARK: End

    func finish() {
        guard !isFinished else { return }
        isFinished = true
        task?.cancel()
        for i in 0..<dev.count {
            counters[dev[i].proto.ordinal].unacked += dev[i].proto.hasAcks ? dev[i].outstanding : 0
            closeConnection(i)
        }
        flushUDP()
        for s in udp { s.handler?.close() }
        ledger.flush()
        finished.succeed(())
    }
}
