import NIOCore
import NIOPosix

/// One connected UDP socket of a shard: datagrams written during a tick go out with one
/// flush (NIO sends them with `sendmmsg`), replies come back here.
final class UDPSocket {
    var handler: UDPHandler?
    /// Teltonika packet id → device index in the shard (-1: free). Ids are per socket, so a
    /// reply (which names no device) finds its device.
    private var owners = [Int32](repeating: -1, count: 65536)
    private var nextPacketID: UInt16 = 0
    /// This tick's datagrams back to back, and where each ends.
    private var out: ByteBuffer
    private var ends: [Int] = []
    /// `ECONNREFUSED` seen (nobody listens at the target) and replies received.
    var refusals = 0
    var replies = 0

    init(allocator: ByteBufferAllocator) {
        out = allocator.buffer(capacity: 64 * 1024)
        ends.reserveCapacity(1024)
    }

    /// Whether the socket takes more: false while earlier datagrams still wait for the kernel
    /// (past the write-buffer high-water mark). Devices then keep their fixes for a later tick,
    /// so a server or kernel that cannot keep up slows the generator instead of growing its memory.
    var isWritable: Bool { out.readableBytes < Self.tickBudgetBytes && handler?.isWritable ?? false }

    /// Bytes written per tick at most (about 10,000 NMEA datagrams): after a stall the queued
    /// fixes go out over several ticks instead of in one burst the kernel would drop.
    static let tickBudgetBytes = 2 << 20

    /// Bytes written this tick.
    var pendingBytes: Int { out.readableBytes }

    /// Appends one datagram written by `body`.
    @inline(__always)
    func datagram(_ body: (inout ByteBuffer) -> Void) {
        body(&out)
        ends.append(out.writerIndex)
    }

    /// A free packet id for device `device`.
    func claim(device: Int) -> UInt16 {
        for _ in 0..<65536 {
            nextPacketID &+= 1
            if owners[Int(nextPacketID)] < 0 {
                owners[Int(nextPacketID)] = Int32(device)
                return nextPacketID
            }
        }
        preconditionFailure("more than 65,536 datagrams in flight on one socket")
    }

    func release(_ packetID: UInt16, device: Int) {
        if owners[Int(packetID)] == Int32(device) { owners[Int(packetID)] = -1 }
    }

    func owner(_ packetID: UInt16) -> Int? {
        let o = owners[Int(packetID)]
        return o < 0 ? nil : Int(o)
    }

    /// Writes this tick's datagrams (slices of one buffer) and flushes once.
    func flush() {
        guard !ends.isEmpty, let handler else { return }
        var start = out.readerIndex
        for end in ends {
            handler.write(out.getSlice(at: start, length: end - start)!)
            start = end
        }
        handler.flush()
        ends.removeAll(keepingCapacity: true)
        // The slices share the storage until sent: the next tick writes into a new buffer.
        out = handler.allocator.buffer(capacity: max(64 * 1024, out.readableBytes))
    }
}

/// Reads replies on a UDP socket and forwards them to the shard; writes datagrams.
final class UDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = ByteBuffer

    let shard: LoadShard
    let socket: Int
    let allocator: ByteBufferAllocator
    private var context: ChannelHandlerContext?

    init(shard: LoadShard, socket: Int, allocator: ByteBufferAllocator) {
        self.shard = shard
        self.socket = socket
        self.allocator = allocator
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        shard.udpRead(socket, unwrapInboundIn(data).data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        shard.flushUDP()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ECONNREFUSED (an ICMP port unreachable for an earlier datagram) is not fatal for UDP.
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            shard.udp[socket].refusals += 1
        }
    }

    var isWritable: Bool { context?.channel.isWritable ?? false }
    func write(_ buffer: ByteBuffer) { context?.write(wrapOutboundOut(buffer), promise: nil) }
    func flush() { context?.flush() }
    func close() { context?.close(promise: nil) }
}

extension LoadShard {
    /// Binds this shard's UDP sockets, `socketsPerAddress` connected to each server address.
    func openUDP(socketsPerAddress: Int) -> EventLoopFuture<Void> {
        let addresses = plan.distinctAddresses
        let futures = (0..<(addresses.count * socketsPerAddress)).map { s -> EventLoopFuture<Void> in
            let socket = UDPSocket(allocator: ByteBufferAllocator())
            udp.append(socket)
            return DatagramBootstrap(group: loop)
                .channelOption(.datagramVectorReadMessageCount, value: 16)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 256))
                .channelOption(.socketOption(.so_sndbuf), value: 4 * 1024 * 1024)
                .channelOption(.writeBufferWaterMark, value: .init(low: 1 << 20, high: 4 << 20))
                .channelInitializer { [self] channel in
                    let handler = UDPHandler(shard: self, socket: s, allocator: channel.allocator)
                    self.udp[s].handler = handler
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(to: addresses[s / socketsPerAddress])
                .map { _ in }
        }
        return EventLoopFuture.andAllSucceed(futures, on: loop)
    }

    /// The datagram in flight for device `i` (Teltonika over UDP).
    func writeDatagram(_ i: Int, _ f: SimulatedDevice.InFlight) {
        let socket = udp[dev[i].udpSocket]
        if f.attempts == 1 {
            dev[i].packetID = socket.claim(device: i)
            dev[i].avlPacketID &+= 1
        }
        let packetID = dev[i].packetID
        let avl = dev[i].avlPacketID
        let before = counters[dev[i].proto.ordinal].bytesSent
        var written = 0
        socket.datagram { buffer in
            let start = buffer.writerIndex
            TeltonikaFrames.writeUDPDatagram(
                dev[i].backlog.prefix(f.backlog), dev[i].live.prefix(f.live), packetID: packetID, avlPacketID: avl,
                imei: dev[i].id, into: &buffer)
            written = buffer.writerIndex - start
        }
        counters[dev[i].proto.ordinal].bytesSent = before + written
    }

    func udpRead(_ s: Int, _ buffer: ByteBuffer) {
        udp[s].replies += 1
        let reply = ReplyReader.teltonikaUDP(buffer.readableBytesView)
        guard case .teltonikaUDP(let packetID, _, _) = reply else {
            counters[LoadProtocol.teltonika.ordinal].unparsedReplies += 1
            return
        }
        guard let i = udp[s].owner(packetID), dev[i].packetID == packetID, dev[i].inFlight != nil else {
            counters[LoadProtocol.teltonika.ordinal].staleAcks += 1
            return
        }
        handle(i, reply, plan.nowUs())
    }

    func flushUDP() {
        for socket in udp { socket.flush() }
    }
}
