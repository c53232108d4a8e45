import FieldtraceCore

/// Teltonika Codec 8 / 8E over TCP (protocols.md section 3).
///
/// A stream starts with the IMEI handshake, answered `0x01` (accepted) or `0x00` (refused or
/// malformed, and the connection is closed). AVL packets follow; each is answered with the number
/// of records accepted as 4 bytes big-endian, sent by the transport once the fixes are durable.
/// A packet with a bad CRC, a count mismatch or a bad record structure is answered with 0, so the
/// device resends it. A broken frame header (non-zero preamble, a length beyond
/// `WireLimits.teltonikaPacketMaxBytes`, data before the IMEI) leaves no way to find the next
/// packet: it is rejected, the decoder asks to close, and later bytes are dropped.
///
/// Whole frames are decoded in place from the bytes passed to `consume`; only a frame split
/// across calls is copied into an internal buffer, never beyond the frame's declared (and
/// capped) length, and the buffer keeps its capacity.
public struct TeltonikaTCPDecoder: WireDecoder {
    public static let wireProtocol = WireProtocol.teltonika

    enum State {
        case awaitingIMEI
        case streaming
        case closed
    }

    public private(set) var identity: DeviceID?
    private let configuration: WireConfiguration
    private var state = State.awaitingIMEI
    /// The start of a frame split across calls: at most that frame's capped length.
    private var pending: [UInt8] = []
    /// Stream offset of `pending`'s first byte.
    private var pendingOffset = 0
    /// Bytes consumed before the current call.
    private var streamOffset = 0

    public init(configuration: WireConfiguration) {
        self.configuration = configuration
    }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        defer { streamOffset += bytes.count }
        guard state != .closed else {
            output.shouldClose = true
            return
        }
        var index = 0
        if !pending.isEmpty {
            // Top the buffered frame up with exactly the bytes it still needs.
            while true {
                let needed: Int
                do throws(TeltonikaError) {
                    needed = try TeltonikaError.withBytes(pending) { (raw) throws(TeltonikaError) in
                        try frameLength(raw)
                    }
                } catch {
                    let frame = pending
                    frame.withUnsafeBytes { fail(error, frame: $0, offset: pendingOffset, into: &output) }
                    return
                }
                if needed <= pending.count { break }
                let take = min(needed - pending.count, bytes.count - index)
                guard take > 0 else { return }
                Self.append(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]), to: &pending)
                index += take
            }
            // Swapped out while it is read, so `process` may mutate the decoder; the capacity is kept.
            var frame: [UInt8] = []
            swap(&frame, &pending)
            frame.withUnsafeBytes { process($0, offset: pendingOffset, receivedMs: receivedMs, into: &output) }
            frame.removeAll(keepingCapacity: true)
            pending = frame
        }
        while index < bytes.count, state != .closed {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[index...])
            let needed: Int
            do throws(TeltonikaError) {
                needed = try frameLength(rest)
            } catch {
                fail(error, frame: rest, offset: streamOffset + index, into: &output)
                return
            }
            guard needed <= rest.count else {
                pendingOffset = streamOffset + index
                Self.append(rest, to: &pending)
                return
            }
            process(
                UnsafeRawBufferPointer(rebasing: rest[0..<needed]), offset: streamOffset + index,
                receivedMs: receivedMs, into: &output)
            index += needed
        }
    }

    public mutating func finish(into output: inout WireOutput) {
        guard !pending.isEmpty, state != .closed else { return }
        output.counters.frames += 1
        output.reject(
            WireError(
                .incomplete, protocol: Self.wireProtocol, offset: pendingOffset, bytes: pending,
                detail: "stream ended inside a frame"),
            limit: configuration.maxRejectionsKept)
        pending.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func frameLength(_ bytes: UnsafeRawBufferPointer) throws(TeltonikaError) -> Int {
        try TeltonikaTCPFramer.frameLength(
            bytes, expectingIMEI: state == .awaitingIMEI, maxPacketBytes: configuration.limits.teltonikaPacketMaxBytes)
    }

    /// A whole frame: the handshake or an AVL packet.
    private mutating func process(
        _ frame: UnsafeRawBufferPointer, offset: Int, receivedMs: Int64, into output: inout WireOutput
    ) {
        if state == .awaitingIMEI {
            handshake(frame, offset: offset, into: &output)
            return
        }
        output.counters.frames += 1
        guard let device = identity else { return }
        do throws(TeltonikaError) {
            let data = try TeltonikaTCPFramer.checkedAVLData(frame)
            let count = try TeltonikaAVLPacket.appendFixes(
                data, device: device, receivedMs: receivedMs, into: &output,
                rejected: { $0.wireError(Self.wireProtocol, offset: offset, bytes: frame) },
                rejectionsKept: configuration.maxRejectionsKept)
            if count == 0 { output.counters.ignored += 1 }
            Self.appendCountReply(count, into: &output)
        } catch {
            output.reject(
                error.wireError(Self.wireProtocol, offset: offset, bytes: frame), limit: configuration.maxRejectionsKept
            )
            // Not an AVL packet (a Codec 12 response, ...): there is no record count to answer.
            if case .unknownCodec = error { return }
            Self.appendCountReply(0, into: &output)
        }
    }

    private mutating func handshake(_ frame: UnsafeRawBufferPointer, offset: Int, into output: inout WireOutput) {
        let digits = UnsafeRawBufferPointer(rebasing: frame[TeltonikaTCPFramer.imeiHeaderBytes...])
        do throws(TeltonikaError) {
            try TeltonikaIMEI.validate(digits)
            guard let device = TeltonikaIMEI.deviceID(digits, reusing: nil) else { throw TeltonikaError.badIMEI }
            guard configuration.isDeviceAllowed(device) else { throw TeltonikaError.refused }
            output.counters.frames += 1
            output.counters.ignored += 1
            identity = device
            output.identity = device
            state = .streaming
            output.appendReply(CollectionOfOne(TeltonikaIMEI.acceptReply))
        } catch {
            fail(error, frame: frame, offset: offset, into: &output)
        }
    }

    /// Rejects the frame, answers a refused or malformed handshake with `0x00`, and closes.
    private mutating func fail(
        _ error: TeltonikaError, frame: UnsafeRawBufferPointer, offset: Int, into output: inout WireOutput
    ) {
        output.counters.frames += 1
        output.reject(
            error.wireError(Self.wireProtocol, offset: offset, bytes: frame), limit: configuration.maxRejectionsKept)
        switch error {
        case .badIMEI, .refused: output.appendReply(CollectionOfOne(TeltonikaIMEI.rejectReply))
        default: break
        }
        output.shouldClose = true
        state = .closed
        pending.removeAll(keepingCapacity: true)
    }

    /// Appends raw bytes with one copy (a raw buffer as a plain sequence is copied byte by byte).
    @inline(__always)
    static func append(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        bytes.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) }
    }

    /// The record count acknowledgement: 4 bytes, big-endian.
    @inline(__always)
    static func appendCountReply(_ count: Int, into output: inout WireOutput) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).bigEndian) { output.appendReply($0) }
    }
}
