import FieldtraceWire
import Logging
import NIOCore

extension StreamDecoderHandler {
    /// Whether the channel may read now: no batch waiting on the sink, no close pending, and
    /// the device is reading its acks.
    func mayRead(_ context: ChannelHandlerContext) -> Bool {
        !accepting && closeAfterBatch == nil && closingReason == nil && !draining && !isInactive
            && context.channel.isWritable
    }

    /// Issues a read held back while the channel could not read.
    func resumeReading(_ context: ChannelHandlerContext) {
        guard readHeld, mayRead(context) else { return }
        readHeld = false
        context.read()
    }

    /// The batch's replies as one buffer (in the decoder's order) and how many there are.
    func takeReplies(_ context: ChannelHandlerContext) -> (buffer: ByteBuffer, count: Int)? {
        let bytes = output.replyBytes
        guard !bytes.isEmpty else { return nil }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return (buffer, output.replyEnds.count)
    }

    /// Writes and flushes replies; `acks` marks replies sent after their batch was durable.
    func write(_ context: ChannelHandlerContext, _ buffer: ByteBuffer, count: Int, acks: Bool) {
        local.bytesSent += buffer.readableBytes
        local.repliesSent += count
        if acks { local.acksSent += count }
        lastWrite = context.writeAndFlush(wrapOutboundOut(buffer))
    }

    /// Closes the channel once the last write reached the socket (so a reject is delivered
    /// before the close). A second call closes at once.
    func close(_ context: ChannelHandlerContext, _ reason: IngestCloseReason) {
        guard !isInactive else { return }
        guard closingReason == nil else {
            context.close(promise: nil)
            return
        }
        closingReason = reason
        if reason != .peer, reason != .shutdown, reason != .idle {
            logger.debug("closing", metadata: ["ingest.close_reason": "\(reason)"])
        }
        guard let lastWrite else {
            context.close(promise: nil)
            return
        }
        lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Adds the local counts (and the decoder's) to the listener's shared counters.
    func flushCounters() {
        local.wire = output.counters
        output.counters = WireCounters()
        counterBox.add(local)
        local = IngestListenerCounters()
    }

    /// Logs the batch's kept rejections at debug level (they carry raw bytes: house rule 12).
    func logRejections() {
        guard !output.rejections.isEmpty, logger.logLevel <= .debug else { return }
        for rejection in output.rejections {
            logger.debug(
                "frame rejected",
                metadata: [
                    "wire.reason": "\(rejection.reason)", "wire.offset": "\(rejection.offset)",
                    "wire.detail": "\(rejection.detail)", "wire.bytes": "\(Hex.encode(rejection.bytes))",
                ])
        }
    }
}
