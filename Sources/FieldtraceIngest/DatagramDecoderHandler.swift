import FieldtraceCore
import FieldtraceWire
import Logging
import NIOCore

/// The NIO adapter for one UDP socket: each datagram is one `consume` of a datagram decoder
/// (`NMEADatagramDecoder`, `TeltonikaUDPDecoder`); the fixes of a read burst (up to
/// `IngestLimits.udpVectorReadCount` datagrams per `recvmmsg`, several calls per burst) go to
/// the sink in one `accept`, and each datagram's replies go back to its sender once that
/// `accept` returned.
///
/// Overload: at most `IngestLimits.udpMaxInFlightAccepts` batches wait on the sink. Bursts
/// that arrive meanwhile are decoded and queued into the next batch (so batches grow when the
/// sink is slow); past `IngestLimits.udpMaxQueuedDatagrams` queued datagrams, new ones are shed:
/// read, counted in `datagramsShed`, not decoded, not acked (a Teltonika device resends).
/// A sink failure drops the batch's acks and is reported to the server; the socket stays open.
final class DatagramDecoderHandler<Decoder: WireDecoder>: ChannelDuplexHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// One reply: where it goes and where its bytes lie in the batch's reply bytes.
    struct Route {
        var address: SocketAddress
        var start: Int
        var end: Int
    }

    let listener: IngestListener
    let coordinator: IngestCoordinator
    let counterBox: IngestCounterBox
    let limits: IngestLimits
    let logger: Logger
    var decoder: Decoder
    var output = WireOutput()
    /// The replies of the queued datagrams, in arrival order.
    var routes: [Route] = []
    /// Datagrams decoded into `output` and not yet handed on.
    var queuedDatagrams = 0
    var acceptsInFlight = 0
    var local = IngestListenerCounters()
    var draining = false
    var readHeld = false
    var isInactive = false
    var burstTimeMs: Int64?

    init(listener: IngestListener, coordinator: IngestCoordinator) {
        self.listener = listener
        self.coordinator = coordinator
        self.counterBox = coordinator.counterBox(listener)
        self.limits = coordinator.limits
        self.decoder = Decoder(configuration: coordinator.configuration.wire)
        var logger = coordinator.logger
        logger[metadataKey: "wire.protocol"] = "\(listener)"
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        local.datagramsReceived += 1
        local.bytesReceived += envelope.data.readableBytes
        guard !isInactive, queuedDatagrams < limits.udpMaxQueuedDatagrams else {
            local.datagramsShed += 1
            return
        }
        let now = burstTimeMs ?? coordinator.configuration.clock()
        burstTimeMs = now
        let repliesBefore = output.replyEnds.count
        envelope.data.withUnsafeReadableBytes { decoder.consume($0, receivedMs: now, into: &output) }
        queuedDatagrams += 1
        let ends = output.replyEnds
        if ends.count > repliesBefore {
            var start = repliesBefore == 0 ? 0 : ends[repliesBefore - 1]
            for end in ends[repliesBefore...] {
                routes.append(Route(address: envelope.remoteAddress, start: start, end: end))
                start = end
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        burstTimeMs = nil
        handOn(context)
        flushCounters()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IngestDrainEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        draining = true
        handOn(context)
        closeIfDrained(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port-unreachable for an ack and the like: the socket stays usable.
        logger.debug("socket error", metadata: ["error": "\(error)"])
    }

    func channelInactive(context: ChannelHandlerContext) {
        isInactive = true
        flushCounters()
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if draining {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// Hands the queued datagrams on: their replies at once when they hold no fix, otherwise
    /// to the sink when an in-flight slot is free (else they keep queueing).
    func handOn(_ context: ChannelHandlerContext) {
        guard queuedDatagrams > 0, !isInactive else { return }
        logRejections()
        if output.fixes.isEmpty {
            if let replies = takeReplies(context) { write(context, replies, acks: false) }
            output.clearBatch()
            queuedDatagrams = 0
            return
        }
        guard acceptsInFlight < limits.udpMaxInFlightAccepts else { return }
        var fixes: [Fix] = []
        swap(&fixes, &output.fixes)
        output.fixes.reserveCapacity(fixes.count)
        let replies = takeReplies(context)
        output.clearBatch()
        queuedDatagrams = 0
        acceptsInFlight += 1
        coordinator.beginAccept()
        let sink = coordinator.sink
        let batch = fixes
        context.eventLoop.makeFutureWithTask { try await sink.accept(batch) }
            .assumeIsolated()
            .whenComplete { result in
                self.accepted(result, context: context, fixes: batch.count, replies: replies)
            }
    }

    func accepted(
        _ result: Result<FixReceipt, any Error>, context: ChannelHandlerContext, fixes: Int,
        replies: (buffer: ByteBuffer, routes: [Route])?
    ) {
        acceptsInFlight -= 1
        coordinator.endAccept()
        switch result {
        case .success:
            local.batchesAccepted += 1
            local.fixesAccepted += fixes
            if let replies, !isInactive { write(context, replies, acks: true) }
        case .failure(let error):
            local.sinkFailures += 1
            logger.error("sink failed: datagrams not acked", metadata: ["error": "\(error)"])
            coordinator.reportSinkFailure(error)
        }
        handOn(context)
        closeIfDrained(context)
        flushCounters()
    }

    /// Closes the socket once draining and nothing is queued or in flight.
    func closeIfDrained(_ context: ChannelHandlerContext) {
        guard draining, !isInactive, acceptsInFlight == 0, queuedDatagrams == 0 else { return }
        context.close(promise: nil)
    }

    /// The queued replies as one buffer plus their routes (the buffer is sliced per reply).
    func takeReplies(_ context: ChannelHandlerContext) -> (buffer: ByteBuffer, routes: [Route])? {
        guard !routes.isEmpty else { return nil }
        let bytes = output.replyBytes
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        var taken: [Route] = []
        swap(&taken, &routes)
        routes.reserveCapacity(taken.count)
        return (buffer, taken)
    }

    /// One datagram per reply to its sender, one flush.
    func write(_ context: ChannelHandlerContext, _ replies: (buffer: ByteBuffer, routes: [Route]), acks: Bool) {
        for route in replies.routes {
            guard let slice = replies.buffer.getSlice(at: route.start, length: route.end - route.start) else {
                continue
            }
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: route.address, data: slice)), promise: nil)
            local.bytesSent += slice.readableBytes
        }
        local.repliesSent += replies.routes.count
        if acks { local.acksSent += replies.routes.count }
        context.flush()
    }

    func flushCounters() {
        local.wire = output.counters
        output.counters = WireCounters()
        counterBox.add(local)
        local = IngestListenerCounters()
    }

    func logRejections() {
        guard !output.rejections.isEmpty, logger.logLevel <= .debug else { return }
        for rejection in output.rejections {
            logger.debug(
                "datagram rejected",
                metadata: [
                    "wire.reason": "\(rejection.reason)", "wire.detail": "\(rejection.detail)",
                    "wire.bytes": "\(Hex.encode(rejection.bytes))",
                ])
        }
    }
}
