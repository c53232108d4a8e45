/// A frame the framer found: its un-escaped bytes (header, body, check byte) are
/// `JT808Framer.buffer[0..<byteCount]` until the framer is called again.
struct JT808Frame: Equatable {
    /// Un-escaped bytes, check byte included.
    var byteCount: Int
    /// Offset of the opening `0x7E` in the stream.
    var offset: Int
}

/// Finds JT/T 808 frames in a TCP byte stream, un-escapes them and verifies their XOR check.
///
/// A frame is `0x7E`, then header, body and check escaped (`0x7E` sent as `0x7D 0x02`, `0x7D` as
/// `0x7D 0x01`), then `0x7E`. Each byte is un-escaped once, as it arrives, into one buffer
/// allocated at the cap and reused for every frame, with a running XOR: a frame split over any
/// number of reads costs what a whole one does. O(n) in the bytes; no allocation after `init`.
///
/// Resynchronisation: after a good frame, bytes before the next `0x7E` are garbage
/// (`bytesBetweenFrames`). After a bad frame (bad check, bad escape, too short, too long) the
/// `0x7E` that closed it may really have opened the next frame (the bad "frame" was the tail of
/// one whose start was lost), so it is taken as an opening `0x7E`; a following `0x7E` then opens
/// again. Consecutive `0x7E 0x7E` (an empty frame) is an end followed by a start.
struct JT808Framer {
    enum State: Equatable {
        /// Between frames after a good one: the next byte should be `0x7E`.
        case idle
        /// Skipping bytes between frames.
        case garbage
        /// Inside a frame, after its opening `0x7E`.
        case frame
        /// Inside a frame, just after `0x7D`.
        case escape
        /// Skipping to the next `0x7E` after an error found mid-frame (too long, bad escape).
        case discarding(JT808Error)
    }

    /// Longest frame as sent (escaped, both `0x7E` included), bytes.
    let maxFrameBytes: Int
    private(set) var state = State.idle
    /// Un-escaped bytes of the current frame. After `next` returns or throws for a frame, that
    /// frame's bytes are `buffer[0..<completedBytes]` until the next call.
    private(set) var buffer: [UInt8]
    /// Un-escaped bytes of the last frame that ended (returned or rejected).
    private(set) var completedBytes = 0
    /// Stream offset of the current frame's opening `0x7E` (or of the current garbage run).
    private(set) var startOffset = 0
    private var count = 0
    private var rawBytes = 0
    private var check: UInt8 = 0
    private var skipped = 0

    /// The shortest frame worth parsing, un-escaped: a 2013 header and the check byte.
    static let minimumFrameBytes = JT808Header.minimumBytes + 1

    init(maxFrameBytes: Int) {
        self.maxFrameBytes = max(maxFrameBytes, Self.minimumFrameBytes + 2)
        buffer = [UInt8](repeating: 0, count: self.maxFrameBytes)
    }

    /// Reads from `bytes[offset...]` (the stream offset of `bytes[0]` is `streamOffset`) until a
    /// frame is complete (returned), an error ends a frame or a run of garbage (thrown), or the
    /// bytes run out (`nil`: need more bytes). `offset` is left after the bytes used.
    mutating func next(
        _ bytes: UnsafeRawBufferPointer, offset: inout Int, streamOffset: Int
    ) throws(JT808Error) -> JT808Frame? {
        while offset < bytes.count {
            switch state {
            case .idle:
                startOffset = streamOffset + offset
                if bytes[offset] == 0x7E {
                    offset += 1
                    open()
                } else {
                    state = .garbage
                    skipped = 0
                }
            case .garbage:
                let start = offset
                while offset < bytes.count, bytes[offset] != 0x7E { offset += 1 }
                skipped += offset - start
                guard offset < bytes.count else { return nil }
                let count = skipped
                startOffset = streamOffset + offset
                offset += 1
                open()
                completedBytes = 0
                throw .bytesBetweenFrames(count: count)
            case .discarding(let error):
                while offset < bytes.count, bytes[offset] != 0x7E { offset += 1 }
                guard offset < bytes.count else { return nil }
                startOffset = streamOffset + offset
                offset += 1
                open()
                throw error
            case .frame, .escape:
                if let frame = try scan(bytes, offset: &offset, streamOffset: streamOffset) { return frame }
            }
        }
        return nil
    }

    /// The stream ended: what was left unfinished, if anything. Resets to `idle`.
    mutating func finish() -> JT808Error? {
        defer {
            state = .idle
            count = 0
        }
        switch state {
        case .idle: return nil
        case .garbage: return .bytesBetweenFrames(count: skipped)
        case .discarding(let error): return error
        case .frame, .escape:
            completedBytes = count
            return count > 0 || state == .escape ? .incomplete(bytes: rawBytes) : nil
        }
    }

    private enum Outcome {
        case needMore, closed, tooLong
        case badEscape(UInt8)
    }

    private mutating func open() {
        state = .frame
        count = 0
        rawBytes = 1
        check = 0
    }

    /// Un-escapes frame bytes until the closing `0x7E`, an error, or the end of `bytes`.
    private mutating func scan(
        _ bytes: UnsafeRawBufferPointer, offset: inout Int, streamOffset: Int
    ) throws(JT808Error) -> JT808Frame? {
        let limit = maxFrameBytes
        var i = offset
        var n = count
        var raw = rawBytes
        var x = check
        var escaped = state == .escape
        var reopenedAt = -1
        var outcome = Outcome.needMore
        buffer.withUnsafeMutableBufferPointer { out in
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                raw += 1
                if b &- 0x7D < 2 || escaped {
                    if b == 0x7E {
                        if escaped {
                            outcome = .badEscape(b)
                            return
                        }
                        if n == 0 {  // 0x7E 0x7E: this one opens the frame
                            raw = 1
                            reopenedAt = i - 1
                            continue
                        }
                        outcome = .closed
                        return
                    }
                    if raw >= limit {  // no room left for the closing 0x7E
                        outcome = .tooLong
                        return
                    }
                    if escaped {
                        escaped = false
                        guard b == 0x01 || b == 0x02 else {
                            outcome = .badEscape(b)
                            return
                        }
                        let value: UInt8 = b == 0x01 ? 0x7D : 0x7E
                        out[n] = value
                        n += 1
                        x ^= value
                    } else {
                        escaped = true
                    }
                    continue
                }
                if raw >= limit {
                    outcome = .tooLong
                    return
                }
                out[n] = b
                n += 1
                x ^= b
            }
        }
        offset = i
        count = n
        rawBytes = raw
        check = x
        if reopenedAt >= 0 { startOffset = streamOffset + reopenedAt }
        switch outcome {
        case .needMore:
            state = escaped ? .escape : .frame
            return nil
        case .closed:
            completedBytes = n
            let frame = JT808Frame(byteCount: n, offset: startOffset)
            guard n >= Self.minimumFrameBytes else {
                reopen(at: streamOffset + i - 1)
                throw .truncated(neededBytes: Self.minimumFrameBytes, availableBytes: n)
            }
            guard x == 0 else {
                let actual = buffer[n - 1]
                reopen(at: streamOffset + i - 1)
                throw .badChecksum(expected: x ^ actual, actual: actual)
            }
            state = .idle
            return frame
        case .badEscape(let byte):
            completedBytes = n
            if byte == 0x7E {
                reopen(at: streamOffset + i - 1)
                throw .badEscape(byte: byte)
            }
            state = .discarding(.badEscape(byte: byte))
            return nil
        case .tooLong:
            completedBytes = n
            state = .discarding(.frameTooLong(limitBytes: limit))
            return nil
        }
    }

    /// A bad frame ended at the `0x7E` at `position`; that byte may open the next frame.
    private mutating func reopen(at position: Int) {
        open()
        startOffset = position
    }
}
