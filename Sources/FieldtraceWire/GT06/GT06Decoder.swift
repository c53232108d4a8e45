import FieldtraceCore

/// Concox GT06 over TCP (protocols.md section 4): a value-type state machine that cuts frames
/// out of the byte stream, tracks the login identity, turns locations and alarms into fixes and
/// builds the acks.
///
/// Every complete frame ends as exactly one of: a fix, ignored (login, heartbeat, known
/// messages without position) or a counted rejection. Bytes between frames are skipped and
/// counted as one `bad_framing` rejection per run; a frame whose stop bytes are out of place (or
/// whose length is below the minimum or above the cap) is rejected and the stream resyncs one
/// byte after its start: that frame, the bytes skipped after it and any false start among them
/// are one run, one rejection. A frame with a bad CRC is skipped whole, with no reply.
///
/// Buffering: when a call ends inside a frame, only that frame's bytes are kept, and only after
/// its declared length passed the `gt06FrameMaxBytes` cap; later calls append just the bytes
/// the frame still needs, so the buffer never holds more than one capped frame and is
/// compacted in place. It is sized to the frames seen (grown when a longer one is split), not
/// to the cap up front: at 100,000 connections the cap would cost 200 MB. Whole frames in a call are decoded straight from the
/// caller's bytes without copying.
public struct GT06Decoder: WireDecoder {
    public static let wireProtocol = WireProtocol.gt06

    public internal(set) var identity: DeviceID?
    let configuration: WireConfiguration
    let maxFrameBytes: Int
    /// The start of an incomplete frame carried between calls (at most `maxFrameBytes`).
    var pending: [UInt8] = []
    /// Bytes the pending frame still needs before the framer can decide.
    var pendingNeeds = 0
    /// Stream offset of the first byte not yet consumed (the first pending byte, if any).
    var streamOffset = 0
    /// Whether the bytes being skipped continue a run already counted as one rejection.
    var inGarbageRun = false
    /// The calendar work of the last date seen.
    var dates = GT06DateCache()

    public init(configuration: WireConfiguration) {
        self.configuration = configuration
        self.maxFrameBytes = max(configuration.limits.gt06FrameMaxBytes, 0)
    }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        var rest = bytes
        while !rest.isEmpty {
            if pending.isEmpty {
                let (used, needs) = process(rest, receivedMs: receivedMs, into: &output)
                if used < rest.count {
                    // Room for this frame only (not the cap): 100,000 connections each holding a
                    // 2 KiB buffer after one split frame would be 200 MB.
                    let frameBytes = min(maxFrameBytes, rest.count - used + max(needs, 0))
                    if pending.capacity < frameBytes { pending.reserveCapacity(frameBytes) }
                    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[used...]))
                    pendingNeeds = needs
                }
                return
            }
            // Top up the pending frame with only the bytes it asked for, then decide on it.
            let take = min(max(pendingNeeds, 1), rest.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            var buffer: [UInt8] = []
            swap(&buffer, &pending)
            let (used, needs) = buffer.withUnsafeBytes { process($0, receivedMs: receivedMs, into: &output) }
            buffer.removeFirst(used)
            swap(&buffer, &pending)
            pendingNeeds = needs
        }
    }

    public mutating func finish(into output: inout WireOutput) {
        inGarbageRun = false
        guard !pending.isEmpty else { return }
        output.counters.frames += 1
        output.reject(
            WireError(
                .incomplete, protocol: Self.wireProtocol, offset: streamOffset, bytes: pending,
                detail: "stream ended \(pendingNeeds) or more bytes short of a whole frame"),
            limit: configuration.maxRejectionsKept)
        streamOffset += pending.count
        pending.removeAll(keepingCapacity: true)
        pendingNeeds = 0
    }

    /// Decodes every whole frame in `bytes`, skipping garbage. Returns how many bytes it used
    /// (the rest is the start of an incomplete frame) and how many more that frame needs.
    mutating func process(
        _ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput
    ) -> (used: Int, needs: Int) {
        var at = 0
        defer { streamOffset += at }
        while at < bytes.count {
            let start = GT06Framer.scan(bytes, from: at)
            if start > at {
                skipped(UnsafeRawBufferPointer(rebasing: bytes[at..<start]), offset: streamOffset + at, &output)
                at = start
                if at == bytes.count { break }
            }
            let candidate = UnsafeRawBufferPointer(rebasing: bytes[at...])
            var needs = 0
            do throws(GT06Error) {
                guard let frame = try GT06Framer.frame(candidate, maxFrameBytes: maxFrameBytes, needed: &needs) else {
                    return (at, needs)
                }
                inGarbageRun = false
                output.counters.frames += 1
                let whole = UnsafeRawBufferPointer(rebasing: candidate[..<frame.frameBytes])
                do throws(GT06Error) {
                    try handle(frame, receivedMs: receivedMs, into: &output)
                } catch {
                    reject(error, whole, offset: streamOffset + at, &output)
                }
                at += frame.frameBytes
            } catch {
                if case .badCRC(_, _, let frameBytes) = error {
                    output.counters.frames += 1
                    let whole = UnsafeRawBufferPointer(rebasing: candidate[..<frameBytes])
                    reject(error, whole, offset: streamOffset + at, &output)
                    inGarbageRun = false
                    at += frameBytes
                } else {
                    // The length is not to be trusted: resync one byte on. The frame, the bytes
                    // skipped after it and any false start among them are one run, one rejection.
                    if !inGarbageRun {
                        output.counters.frames += 1
                        reject(error, candidate, offset: streamOffset + at, &output)
                    }
                    inGarbageRun = true
                    at += 1
                }
            }
        }
        return (at, 0)
    }

    /// Bytes between frames: one `bad_framing` rejection per run.
    mutating func skipped(_ bytes: UnsafeRawBufferPointer, offset: Int, _ output: inout WireOutput) {
        guard !inGarbageRun else { return }
        inGarbageRun = true
        output.counters.frames += 1
        output.reject(
            WireError(
                .badFraming, protocol: Self.wireProtocol, offset: offset, bytes: bytes, detail: "bytes between frames"),
            limit: configuration.maxRejectionsKept)
    }

    func reject(_ error: GT06Error, _ bytes: UnsafeRawBufferPointer, offset: Int, _ output: inout WireOutput) {
        output.reject(
            WireError(error.reason, protocol: Self.wireProtocol, offset: offset, bytes: bytes, detail: error.detail),
            limit: configuration.maxRejectionsKept)
    }
}
