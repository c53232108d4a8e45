import NIOCore
import NIOPosix

/// One device's TCP connection: forwards reads and the close to its shard, writes frames.
final class TCPDeviceHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let shard: LoadShard
    let device: Int
    let generation: UInt32
    private var context: ChannelHandlerContext?
    let allocator: ByteBufferAllocator

    init(shard: LoadShard, device: Int, generation: UInt32, allocator: ByteBufferAllocator) {
        self.shard = shard
        self.device = device
        self.generation = generation
        self.allocator = allocator
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        shard.tcpRead(device, generation, unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        shard.tcpInactive(device, generation)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// False while written bytes wait past the write-buffer high-water mark (a slow server).
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func send(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func close() {
        context?.close(promise: nil)
    }
}

extension LoadShard {
    /// The address device `i` connects from: against a loopback target, 127.0.0.2 onwards,
    /// `connectionsPerSourceAddress` devices each (the server caps connections per IP).
    func sourceAddress(_ i: Int) -> SocketAddress? {
        let c = plan.configuration
        guard c.target.isIPv4Loopback, case .v4 = plan.address(dev[i].proto) else { return nil }
        let n = 2 + dev[i].globalIndex / c.connectionsPerSourceAddress
        return try? SocketAddress(ipAddress: "127.\(n >> 16 & 0xFF).\(n >> 8 & 0xFF).\(n & 0xFF)", port: 0)
    }

    func connect(_ i: Int, _ now: Int64) {
        dev[i].link = .connecting
        dev[i].generation &+= 1
        let generation = dev[i].generation
        let timeout = TimeAmount.microseconds(plan.ackTimeoutUs)
        var bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // Replies are a few bytes: one read per wake-up, not a second one that finds nothing.
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelInitializer { [self] channel in
                let handler = TCPDeviceHandler(
                    shard: self, device: i, generation: generation, allocator: channel.allocator)
                self.tcp[i] = handler
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        if let source = sourceAddress(i) { bootstrap = bootstrap.bind(to: source) }
        bootstrap.connect(to: plan.address(dev[i].proto)).whenComplete { [self] result in
            let now = self.plan.nowUs()
            guard self.dev[i].generation == generation, self.dev[i].link == .connecting else {
                if case .success(let channel) = result { channel.close(promise: nil) }
                return
            }
            switch result {
            case .success:
                self.counters[self.dev[i].proto.ordinal].connects += 1
                self.login(i, now)
            case .failure:
                self.counters[self.dev[i].proto.ordinal].connectFailures += 1
                self.tcp[i] = nil
                self.backOff(i, now)
            }
            self.wake[i] = self.nextWake(i, now)
        }
    }

    /// Sends the first (or only) login step.
    func login(_ i: Int, _ now: Int64) {
        guard let handler = tcp[i] else { return }
        if readers[i] == nil { readers[i] = ReplyReader(dev[i].proto) } else { readers[i]!.reset() }
        var buffer = handler.allocator.buffer(capacity: 128)
        switch dev[i].proto {
        case .nmea:
            buffer.writeBytes(dev[i].prefix)
            handler.send(buffer)
            loggedIn(i, now)
            return
        case .teltonika:
            buffer.writeBytes(dev[i].prefix)
            dev[i].link = .login(step: 0)
        case .gt06:
            GT06Frames.writeLogin(
                imei: String(decoding: dev[i].id, as: UTF8.self), serial: dev[i].nextSerial(), into: &buffer)
            dev[i].link = .login(step: 0)
        case .jt808:
            let phone = dev[i].phoneBCD
            if let code = dev[i].authCode {
                jt808.writeAuthentication(phoneBCD: phone, code: code, serial: dev[i].nextSerial(), into: &buffer)
                dev[i].link = .login(step: 1)
            } else {
                jt808.writeRegistration(
                    phoneBCD: phone, serial: dev[i].nextSerial(), terminalID: dev[i].globalIndex, into: &buffer)
                dev[i].link = .login(step: 0)
            }
        }
        dev[i].loginSentUs = now
        handler.send(buffer)
    }

    func tcpRead(_ i: Int, _ generation: UInt32, _ buffer: ByteBuffer) {
        guard dev[i].generation == generation, readers[i] != nil else { return }
        let now = plan.nowUs()
        // A reply can log in again (JT/T 808), which resets the reader: collect first, then handle.
        var replies: [Reply] = []
        swap(&replies, &replyScratch)
        replies.removeAll(keepingCapacity: true)
        readers[i]!.read(buffer.readableBytesView) { replies.append($0) }
        for reply in replies where dev[i].generation == generation { handle(i, reply, now) }
        swap(&replies, &replyScratch)
    }

    func handle(_ i: Int, _ reply: Reply, _ now: Int64) {
        let p = dev[i].proto.ordinal
        let link = dev[i].link
        switch reply {
        case .teltonikaHandshake(let accepted):
            guard link == .login(step: 0) else { return counters[p].unparsedReplies += 1 }
            if accepted { loggedIn(i, now) } else { refused(i) }
        case .teltonikaCount(let count), .teltonikaUDP(_, _, let count):
            guard link == .ready, let f = dev[i].inFlight, !f.needsResend else { return counters[p].staleAcks += 1 }
            if count == f.fixes { acked(i, now) } else { nacked(i, now) }
        case .jt808Registration(_, let result, let code):
            guard link == .login(step: 0) else { return counters[p].staleAcks += 1 }
            guard result == 0 else { return refused(i) }
            dev[i].authCode = code
            login(i, now)
        case .jt808General(let serial, let id, let result):
            if link == .login(step: 1) && id == JT808Frames.authentication {
                if result == 0 { loggedIn(i, now) } else { refused(i) }
                return
            }
            guard link == .ready, let f = dev[i].inFlight, !f.needsResend, f.serial == serial,
                id == (f.kind == .jt808Location ? JT808Frames.location : JT808Frames.batch)
            else { return counters[p].staleAcks += 1 }
            if result == 0 { acked(i, now) } else { nacked(i, now) }
        case .gt06Ack(let number, let serial):
            if link == .login(step: 0) && number == GT06Frames.login { return loggedIn(i, now) }
            guard link == .ready, let f = dev[i].inFlight, !f.needsResend, f.serial == serial,
                number == GT06Frames.location
            else { return counters[p].staleAcks += 1 }
            acked(i, now)
        case .garbage:
            counters[p].unparsedReplies += 1
        }
    }

    func tcpInactive(_ i: Int, _ generation: UInt32) {
        guard dev[i].generation == generation else { return }
        let now = plan.nowUs()
        switch dev[i].link {
        case .ready, .login, .connecting:
            counters[dev[i].proto.ordinal].disconnects += 1
            drop(i, now)
            wake[i] = nextWake(i, now)
        case .down, .offline, .refused:
            break
        }
    }

    /// The connection is lost (closed by the server, or a timeout): whatever was in flight is
    /// sent again after a reconnect, which is attempted after a growing backoff.
    func drop(_ i: Int, _ now: Int64) {
        if case .login = dev[i].link {
            dev[i].failedLogins += 1
            // GT06 servers refuse a device by closing without an ack: after 3 tries it is refused.
            if dev[i].failedLogins >= 3 && dev[i].proto == .gt06 {
                refused(i)
                return
            }
        }
        closeConnection(i)
        backOff(i, now)
    }

    func backOff(_ i: Int, _ now: Int64) {
        dev[i].link = .down
        if dev[i].inFlight != nil { dev[i].inFlight!.needsResend = true }
        let backoff = dev[i].backoffUs == 0 ? 100_000 : min(dev[i].backoffUs * 2, 3_000_000)
        dev[i].backoffUs = backoff
        dev[i].retryAtUs = now + backoff / 2 + Int64(rng.next() % UInt64(backoff))
    }

    /// A frame was not acked in time. TCP: reconnect and resend. UDP: resend up to
    /// `udpMaxResends` times, then give the fixes up (counted unacked).
    func timedOut(_ i: Int, _ now: Int64) {
        if isTCP {
            drop(i, now)
            return
        }
        guard let f = dev[i].inFlight else { return }
        if f.attempts <= plan.configuration.udpMaxResends {
            transmit(i, now)
        } else {
            counters[dev[i].proto.ordinal].unacked += f.fixes
            dev[i].backlog.removeFirst(f.backlog)
            dev[i].live.removeFirst(f.live)
            complete(i)
            sendNext(i, now)
        }
    }

    /// The device enters its offline window: the connection closes, recording goes on.
    func goOffline(_ i: Int) {
        closeConnection(i)
        if dev[i].inFlight != nil { dev[i].inFlight!.needsResend = true }
        dev[i].link = .offline
    }

    func closeConnection(_ i: Int) {
        dev[i].generation &+= 1
        tcp[i]?.close()
        tcp[i] = nil
    }

    /// The frame in flight as bytes.
    func writeFrame(_ i: Int, _ f: SimulatedDevice.InFlight, into buffer: inout ByteBuffer) {
        let fixes = dev[i].backlog.prefix(f.backlog)
        let live = dev[i].live.prefix(f.live)
        switch f.kind {
        case .teltonika:
            TeltonikaFrames.writeTCPPacket(fixes, live, into: &buffer)
        case .jt808Location:
            jt808.writeLocation(phoneBCD: dev[i].phoneBCD, live.first!, serial: f.serial, into: &buffer)
        case .jt808Batch(let backfill):
            jt808.writeBatch(
                phoneBCD: dev[i].phoneBCD, f.backlog > 0 ? fixes : live, backfill: backfill,
                serial: f.serial, into: &buffer)
        case .gt06Location(let reupload):
            GT06Frames.writeLocation(
                (f.backlog > 0 ? fixes : live).first!, reupload: reupload, serial: f.serial, into: &buffer)
        }
    }
}
