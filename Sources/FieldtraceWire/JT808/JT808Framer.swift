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
/// reused for every frame, with a running XOR: a frame split over any number of reads costs what
/// a whole one does. O(n) in the bytes. The buffer starts empty and grows (doubling, from 256
/// bytes, never beyond the cap) only when a read could fill it: a connection of location reports
/// (about 100 bytes a frame) holds 256 bytes, not the 4 KiB cap, which matters at 100,000
/// connections; after warm-up nothing is allocated.
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

    /// The buffer's first size, bytes: holds any location report (0x0200) with its usual extras.
    static let initialBufferBytes = 256

    init(maxFrameBytes: Int) {
        self.maxFrameBytes = max(maxFrameBytes, Self.minimumFrameBytes + 2)
        buffer = []
    }

    /// Grows the buffer to hold what `available` more escaped bytes can un-escape to (at most the
    /// cap): un-escaping never lengthens, so the scan cannot write beyond it.
    private mutating func reserve(available: Int) {
        let needed = min(maxFrameBytes, count + available)
        guard buffer.count < needed else { return }
        var size = max(Self.initialBufferBytes, buffer.count)
        while size < needed { size *= 2 }
        buffer.append(contentsOf: repeatElement(0, count: min(size, maxFrameBytes) - buffer.count))
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

    /// The scan's registers: kept in a value the hot loop owns (not in variables a closure
    /// captures, which would live in memory).
    private struct Scan {
        var i: Int
        var n: Int
        var raw: Int
        var check: UInt8
        var escaped: Bool
        var reopenedAt = -1
        var outcome = Outcome.needMore
    }

    /// Un-escapes frame bytes until the closing `0x7E`, an error, or the end of `bytes`.
    private mutating func scan(
        _ bytes: UnsafeRawBufferPointer, offset: inout Int, streamOffset: Int
    ) throws(JT808Error) -> JT808Frame? {
        let limit = maxFrameBytes
        reserve(available: bytes.count - offset)
        let start = Scan(i: offset, n: count, raw: rawBytes, check: check, escaped: state == .escape)
        let result = buffer.withUnsafeMutableBufferPointer { out in
            Self.unescape(bytes, into: out, limit: limit, start)
        }
        let i = result.i
        let n = result.n
        let x = result.check
        let escaped = result.escaped
        let reopenedAt = result.reopenedAt
        let outcome = result.outcome
        let raw = result.raw
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

    /// The hot loop: un-escapes from `bytes[start.i...]` into `out[start.n...]` with a running
    /// XOR, until the closing `0x7E`, an error or the end of `bytes`. Every write stays below
    /// `limit` (the escaped byte count `raw` always exceeds `n`) and below `start.n` plus the
    /// bytes left (un-escaping never lengthens); the buffer holds the smaller (`reserve`).
    private static func unescape(
        _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>, limit: Int, _ start: Scan
    ) -> Scan {
        var s = start
        guard let src = bytes.baseAddress, let base = out.baseAddress, out.count >= min(limit, s.n + bytes.count - s.i)
        else { return s }
        let dst = UnsafeMutableRawPointer(base)
        let end = bytes.count
        var i = s.i
        var n = s.n
        var raw = s.raw
        var x = s.check
        var escaped = s.escaped
        var wide: UInt64 = 0
        var outcome = Outcome.needMore
        var reopenedAt = -1
        scanning: while i < end {
            if !escaped {
                // Eight bytes at a time while none is 0x7D or 0x7E (most frames have none) and
                // the cap leaves room for them and the closing 0x7E.
                let stop = min(end, i &+ max(0, limit &- 1 &- raw))
                let from = i
                while i &+ 8 <= stop {
                    let w = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let special = flagOrEscapeMask(UInt64(littleEndian: w))
                    dst.storeBytes(of: w, toByteOffset: n, as: UInt64.self)
                    if special != 0 {
                        // Keep the plain bytes before the first 0x7D/0x7E (the lowest flagged
                        // byte is exact); the byte loop takes it from there.
                        let k = special.trailingZeroBitCount &>> 3
                        wide ^= UInt64(littleEndian: w) & ((1 &<< (k &<< 3)) &- 1)
                        n &+= k
                        i &+= k
                        break
                    }
                    wide ^= w
                    n &+= 8
                    i &+= 8
                }
                raw &+= i &- from
                if i >= end { break }
            }
            let b = src.load(fromByteOffset: i, as: UInt8.self)
            i &+= 1
            raw &+= 1
            if b &- 0x7D < 2 || escaped {
                if b == 0x7E {
                    if escaped {
                        outcome = .badEscape(b)
                        break scanning
                    }
                    if n == 0 {  // 0x7E 0x7E: this one opens the frame
                        raw = 1
                        reopenedAt = i &- 1
                        continue
                    }
                    outcome = .closed
                    break scanning
                }
                if raw >= limit {  // no room left for the closing 0x7E
                    outcome = .tooLong
                    break scanning
                }
                if escaped {
                    escaped = false
                    guard b == 0x01 || b == 0x02 else {
                        outcome = .badEscape(b)
                        break scanning
                    }
                    let value: UInt8 = b == 0x01 ? 0x7D : 0x7E
                    dst.storeBytes(of: value, toByteOffset: n, as: UInt8.self)
                    n &+= 1
                    x ^= value
                } else {
                    escaped = true
                }
                continue
            }
            if raw >= limit {
                outcome = .tooLong
                break scanning
            }
            dst.storeBytes(of: b, toByteOffset: n, as: UInt8.self)
            n &+= 1
            x ^= b
        }
        s.i = i
        s.n = n
        s.raw = raw
        s.check = x ^ fold(wide)
        s.escaped = escaped
        s.reopenedAt = reopenedAt
        s.outcome = outcome
        return s
    }

    /// Whether any byte of `w` is `0x7D` or `0x7E`.
    @inline(__always)
    static func hasFlagOrEscape(_ w: UInt64) -> Bool { flagOrEscapeMask(w) != 0 }

    /// The zero-byte test on `w` XOR `0x7D…` and XOR `0x7E…`: bit 7 of a byte is set where that
    /// byte is `0x7D` or `0x7E`, exactly for the lowest such byte (borrows can flag bytes above
    /// it, never below).
    @inline(__always)
    static func flagOrEscapeMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let a = w ^ 0x7D7D_7D7D_7D7D_7D7D
        let b = w ^ 0x7E7E_7E7E_7E7E_7E7E
        return ((a &- ones) & ~a | (b &- ones) & ~b) & highs
    }

    /// The XOR of the eight bytes of `w`.
    @inline(__always)
    static func fold(_ w: UInt64) -> UInt8 {
        var v = w ^ (w >> 32)
        v ^= v >> 16
        v ^= v >> 8
        return UInt8(truncatingIfNeeded: v)
    }

    /// A bad frame ended at the `0x7E` at `position`; that byte may open the next frame.
    private mutating func reopen(at position: Int) {
        open()
        startOffset = position
    }
}
