import FieldtraceCore
import FieldtraceWire
import Logging
import NIOCore

/// The NIO adapter for one TCP connection: forwards bytes to a `WireDecoder` (the state
/// machine, house rule 2), hands each read's fixes to the sink in one `accept`, and writes the
/// read's replies only after `accept` returned (acknowledge after durable).
///
/// Order per read burst: decode every `channelRead` → at `channelReadComplete`, if there are
/// fixes, `sink.accept(fixes)` → when it returns, write all of the burst's replies in the
/// order the decoder produced them. Replies of a burst without fixes (handshakes,
/// registration answers, heartbeats, rejects) are written at once.
///
/// Backpressure: while a batch waits on the sink, the handler holds the channel's `read`
/// calls, so the kernel buffers fill and TCP slows the device; bytes already read meanwhile
/// are queued (up to `IngestLimits.maxBufferedBytesPerConnection`) and decoded after the ack.
/// Reading also pauses while the device leaves its acks unread (write-buffer high-water mark).
///
/// When `accept` throws, no ack is sent, the connection is closed and the error goes to the
/// server. Limits close the connection after the current batch: too many bad frames in a row,
/// an oversized frame, the decoder's request (a refused device).
final class StreamDecoderHandler<Decoder: WireDecoder>: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let listener: IngestListener
    let coordinator: IngestCoordinator
    let counterBox: IngestCounterBox
    let limits: IngestLimits
    var logger: Logger
    var decoder: Decoder
    var output = WireOutput()
    var session: ConnectionSession
    /// Counts since the last flush into `counterBox`.
    var local = IngestListenerCounters()

    /// A batch is waiting on `FixSink.accept`.
    var accepting = false
    /// A `read` was held back; issue it when reading may resume.
    var readHeld = false
    var draining = false
    /// A reason to close once the current batch is answered.
    var closeAfterBatch: IngestCloseReason?
    /// Why the handler closed the channel (`nil`: the peer did).
    var closingReason: IngestCloseReason?
    var isInactive = false
    /// Bytes read while a batch was in flight, decoded once it is answered.
    var queued = CircularBuffer<ByteBuffer>()
    var queuedBytes = 0
    /// The server clock for the current read burst, read once per burst.
    var burstTimeMs: Int64?
    /// Size of the previous batch: the capacity reserved for the next one.
    var lastBatchFixes = 4
    /// The last write, so a close waits for it to reach the socket.
    var lastWrite: EventLoopFuture<Void>?

    init(listener: IngestListener, coordinator: IngestCoordinator, ip: String?, peer: String) {
        self.listener = listener
        self.coordinator = coordinator
        self.counterBox = coordinator.counterBox(listener)
        self.limits = coordinator.limits
        self.decoder = Decoder(configuration: coordinator.configuration.wire)
        self.session = ConnectionSession(ip: ip)
        self.logger = coordinator.logger
        logger[metadataKey: "wire.protocol"] = "\(listener)"
        logger[metadataKey: "peer.address"] = "\(peer)"
        // WireOutput reserves room for 256 fixes; a connection holds none between batches.
        output.fixes = []
    }

    // MARK: Inbound

    func channelActive(context: ChannelHandlerContext) {
        local.connectionsOpened += 1
        flushCounters()
        logger.debug("connection opened")
        if coordinator.isDraining { close(context, .shutdown) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        local.bytesReceived += buffer.readableBytes
        guard !isInactive, closingReason == nil, closeAfterBatch == nil, !draining else { return }
        if accepting {
            queuedBytes += buffer.readableBytes
            guard queuedBytes <= limits.maxBufferedBytesPerConnection else {
                logger.notice("closing: undecoded bytes over the cap", metadata: ["ingest.bytes": "\(queuedBytes)"])
                close(context, .bufferLimit)
                return
            }
            queued.append(buffer)
            return
        }
        decode(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        burstTimeMs = nil
        if !accepting, !isInactive { completeBatch(context) }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { resumeReading(context) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Waiting on the sink is not the device's idleness.
            guard !accepting else { return }
            logger.debug("closing: idle")
            close(context, .idle)
        } else if event is IngestDrainEvent {
            draining = true
            if !accepting { close(context, .shutdown) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("socket error", metadata: ["error": "\(error)"])
        close(context, .error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isInactive = true
        queued.removeAll()
        queuedBytes = 0
        // A pending NMEA epoch is a fix; a partial frame is counted as incomplete.
        decoder.finish(into: &output)
        if !output.fixes.isEmpty { deliverWithoutAck(on: context.eventLoop) }
        logRejections()
        output.clearBatch()
        local.connectionsClosed += 1
        let reason = closingReason ?? .peer
        local.closedBy[reason, default: 0] += 1
        flushCounters()
        logger.debug(
            "connection closed",
            metadata: [
                "ingest.close_reason": "\(reason)", "ingest.frames": "\(session.frames)",
                "ingest.fixes": "\(session.fixes)",
            ])
        context.fireChannelInactive()
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if mayRead(context) {
            context.read()
        } else {
            readHeld = true
        }
    }

    // MARK: Decoding

    /// Feeds one read to the decoder and applies the per-connection limits.
    func decode(_ buffer: ByteBuffer) {
        let framesBefore = output.counters.frames
        let rejectedBefore = output.counters.rejectedTotal
        let tooLongBefore = output.counters.rejected[.tooLong] ?? 0
        let fixesBefore = output.fixes.count
        if output.fixes.capacity == 0 { output.fixes.reserveCapacity(lastBatchFixes) }
        let now = burstTimeMs ?? coordinator.configuration.clock()
        burstTimeMs = now
        buffer.withUnsafeReadableBytes { decoder.consume($0, receivedMs: now, into: &output) }
        session.fixes += output.fixes.count - fixesBefore
        if let id = output.identity, session.identify(id) {
            logger[metadataKey: "device.id"] = "\(id)"
            logger.debug("device identified")
        }
        let frames = output.counters.frames - framesBefore
        let rejected = output.counters.rejectedTotal - rejectedBefore
        if rejected > 0, limits.closeOnOversizedFrame, output.counters.rejected[.tooLong] ?? 0 > tooLongBefore {
            closeAfterBatch = closeAfterBatch ?? .oversizedFrame
        }
        if session.record(frames: frames, rejected: rejected, limit: limits.maxConsecutiveBadFrames) {
            closeAfterBatch = closeAfterBatch ?? .badFrames
        }
        if output.shouldClose { closeAfterBatch = closeAfterBatch ?? .decoder }
    }

    /// Ends a read burst: writes replies at once when there is no fix, otherwise hands the
    /// fixes to the sink and writes the replies when it returns.
    func completeBatch(_ context: ChannelHandlerContext) {
        logRejections()
        if output.fixes.isEmpty {
            if let replies = takeReplies(context) { write(context, replies.buffer, count: replies.count, acks: false) }
            output.clearBatch()
            flushCounters()
            if let reason = closeAfterBatch { close(context, reason) }
            return
        }
        var fixes: [Fix] = []
        swap(&fixes, &output.fixes)
        lastBatchFixes = fixes.count
        let replies = takeReplies(context)
        output.clearBatch()
        flushCounters()
        accepting = true
        coordinator.beginAccept()
        let sink = coordinator.sink
        let batch = fixes
        context.eventLoop.makeFutureWithTask { try await sink.accept(batch) }
            .assumeIsolated()
            .whenComplete { result in
                self.accepted(result, context: context, fixes: batch.count, replies: replies)
            }
    }

    /// A batch's `accept` returned or threw.
    func accepted(
        _ result: Result<FixReceipt, any Error>, context: ChannelHandlerContext, fixes: Int,
        replies: (buffer: ByteBuffer, count: Int)?
    ) {
        accepting = false
        coordinator.endAccept()
        defer { flushCounters() }
        switch result {
        case .success:
            local.batchesAccepted += 1
            local.fixesAccepted += fixes
            guard !isInactive, closingReason == nil else { return }
            if let replies { write(context, replies.buffer, count: replies.count, acks: true) }
            if let reason = closeAfterBatch {
                close(context, reason)
                return
            }
            if draining {
                close(context, .shutdown)
                return
            }
            if !queued.isEmpty {
                while closeAfterBatch == nil, let next = queued.popFirst() { decode(next) }
                queued.removeAll()
                queuedBytes = 0
                completeBatch(context)
            }
            resumeReading(context)
        case .failure(let error):
            local.sinkFailures += 1
            logger.error("sink failed: closing without ack", metadata: ["error": "\(error)"])
            // Close before reporting: the report may shut the server down, re-entering this handler.
            if !isInactive { close(context, .sinkFailure) }
            coordinator.reportSinkFailure(error)
        }
    }

    /// Fixes decoded as the stream ended (a pending NMEA epoch): delivered, with nobody left
    /// to acknowledge.
    func deliverWithoutAck(on loop: any EventLoop) {
        var fixes: [Fix] = []
        swap(&fixes, &output.fixes)
        let batch = fixes
        let sink = coordinator.sink
        let coordinator = self.coordinator
        let box = counterBox
        let logger = self.logger
        coordinator.beginAccept()
        loop.makeFutureWithTask { try await sink.accept(batch) }.whenComplete { result in
            var delta = IngestListenerCounters()
            switch result {
            case .success:
                delta.batchesAccepted = 1
                delta.fixesAccepted = batch.count
            case .failure(let error):
                delta.sinkFailures = 1
                logger.error("sink failed on a closed connection's last fixes", metadata: ["error": "\(error)"])
                coordinator.reportSinkFailure(error)
            }
            box.add(delta)
            coordinator.endAccept()
        }
    }
}
