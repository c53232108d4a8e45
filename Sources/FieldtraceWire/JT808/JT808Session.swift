import FieldtraceCore

/// What a JT/T 808 connection remembers between frames: the terminal's identity, the platform
/// serial, pending split messages, the reply buffers. Turns each un-escaped frame into fixes,
/// counters and exactly one reply.
struct JT808Session {
    private(set) var identity: DeviceID?
    private var writer = JT808FrameWriter()
    private var reassembly = JT808Reassembly()
    private let authCode: [UInt8]
    private let isDeviceAllowed: @Sendable (DeviceID) -> Bool
    private let maxRejectionsKept: Int
    /// The last phone number seen, its identity and the registry's answer for it: asked once
    /// per terminal per connection, like a login.
    private var lastPhone: JT808Phone?
    private var lastDevice: DeviceID?
    private var lastAllowed = false
    /// The receive time of the current call, its year (the two-digit year reference), a date cache.
    private var clock = JT808Clock()

    init(configuration: WireConfiguration) {
        authCode = Array(configuration.jt808AuthCode.utf8)
        isDeviceAllowed = configuration.isDeviceAllowed
        maxRejectionsKept = configuration.maxRejectionsKept
    }

    mutating func setClock(_ ms: Int64) { clock.set(receivedMs: ms) }

    /// Handles one frame whose check passed: `frame` is header, body and check byte.
    mutating func handle(frame: UnsafeRawBufferPointer, offset: Int, into output: inout WireOutput) {
        output.counters.frames += 1
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: frame[0..<(frame.count - 1)]))
        let header: JT808Header
        do throws(JT808Error) {
            header = try JT808Header.read(&cursor)
        } catch {
            reject(error, frame: frame, offset: offset, into: &output)
            return
        }
        let body = UnsafeRawBufferPointer(rebasing: cursor.bytes[cursor.offset...])
        do throws(JT808Error) {
            try handle(header: header, body: body, frame: frame, offset: offset, into: &output)
        } catch {
            reject(error, frame: frame, offset: offset, into: &output)
            reply(to: header, after: error, into: &output)
        }
    }

    /// Counts a frame the framer rejected; a frame that failed its check but whose header can be
    /// read is answered with `0x8001` result 2 so the terminal resends it.
    mutating func rejectFrame(
        _ error: JT808Error, frame: UnsafeRawBufferPointer, offset: Int, into output: inout WireOutput
    ) {
        output.counters.frames += 1
        reject(error, frame: frame, offset: offset, into: &output)
        guard case .badChecksum = error, frame.count >= 1 else { return }
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: frame[0..<(frame.count - 1)]))
        guard let header = try? JT808Header.read(&cursor) else { return }
        JT808GeneralReply.write(to: header, result: .messageError, writer: &writer, into: &output)
    }

    /// The stream ended: pending split messages are dropped and counted.
    mutating func finish(into output: inout WireOutput) {
        countDropped(reassembly.removeAll(), into: &output)
    }

    private mutating func handle(
        header: JT808Header, body: UnsafeRawBufferPointer, frame: UnsafeRawBufferPointer, offset: Int,
        into output: inout WireOutput
    ) throws(JT808Error) {
        guard header.bodyLength == body.count else {
            throw .badBodyLength(declared: header.bodyLength, actual: body.count)
        }
        guard header.encryption == 0 else { throw .encrypted(method: header.encryption) }
        let device = try resolve(header.phone, into: &output)
        guard Self.handles(header.messageID) else { throw .unknownMessage(id: header.messageID) }
        guard header.isSplit else {
            try dispatch(header, body: body, device: device, frame: frame, offset: offset, into: &output)
            return
        }
        var dropped = 0
        defer { countDropped(dropped, into: &output) }
        guard
            let whole = try reassembly.add(header: header, body: body, receivedMs: clock.receivedMs, dropped: &dropped)
        else {
            JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
            return
        }
        var failure: JT808Error?
        whole.withUnsafeBytes { all in
            do throws(JT808Error) {
                try dispatch(header, body: all, device: device, frame: frame, offset: offset, into: &output)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Whether `id` is a message this decoder handles (others are answered "unsupported"
    /// before any split package of theirs is buffered).
    static func handles(_ id: UInt16) -> Bool {
        switch id {
        case JT808Registration.messageID, JT808Authentication.messageID, JT808Heartbeat.messageID,
            JT808Location.messageID, JT808BatchLocation.messageID:
            true
        default: false
        }
    }

    /// The terminal's identity; throws `deviceRefused` when the registry refuses it.
    @inline(__always)
    private mutating func resolve(_ phone: JT808Phone, into output: inout WireOutput) throws(JT808Error) -> DeviceID {
        if phone == lastPhone, let device = lastDevice {
            guard lastAllowed else { throw .deviceRefused }
            return device
        }
        guard let device = DeviceID(phone.digits) else { throw .badPhoneNumber }
        lastPhone = phone
        lastDevice = device
        lastAllowed = isDeviceAllowed(device)
        identity = lastAllowed ? device : nil
        guard lastAllowed else { throw .deviceRefused }
        output.identity = device
        return device
    }

    private mutating func dispatch(
        _ header: JT808Header, body: UnsafeRawBufferPointer, device: DeviceID, frame: UnsafeRawBufferPointer,
        offset: Int, into output: inout WireOutput
    ) throws(JT808Error) {
        var cursor = ByteCursor(body)
        switch header.messageID {
        case JT808Location.messageID:
            let location = try JT808Location.read(&cursor)
            output.appendFix(try location.fix(device: device, clock: &clock))
            JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
        case JT808BatchLocation.messageID:
            try batch(header, cursor: &cursor, device: device, frame: frame, offset: offset, into: &output)
        case JT808Heartbeat.messageID:
            output.counters.ignored += 1
            JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
        case JT808Registration.messageID:
            _ = try JT808Registration.read(&cursor)
            output.counters.ignored += 1
            JT808RegistrationReply.write(
                to: header, result: .success, authCode: authCode, writer: &writer, into: &output)
        case JT808Authentication.messageID:
            let code = try JT808Authentication.code(in: body, is2019: header.is2019)
            guard code.elementsEqual(authCode) else { throw .authenticationFailed }
            output.counters.ignored += 1
            JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
        default:
            throw .unknownMessage(id: header.messageID)
        }
    }

    /// A `0x0704` batch: each item that decodes becomes a fix, each that does not is counted; the
    /// one reply is result 0 when any item became a fix (or there were none), 2 otherwise.
    private mutating func batch(
        _ header: JT808Header, cursor: inout ByteCursor, device: DeviceID, frame: UnsafeRawBufferPointer,
        offset: Int, into output: inout WireOutput
    ) throws(JT808Error) {
        let batch = try JT808BatchLocation.readHeader(&cursor)
        let flags: FixFlags = batch.isBackfill ? [.late, .backfill] : []
        var produced = 0
        var failed = false
        for _ in 0..<batch.count {
            var item: ByteCursor
            do throws(JT808Error) {
                item = try JT808BatchLocation.nextItem(&cursor)
            } catch {
                // The item lengths no longer add up: nothing after this point can be trusted.
                reject(error, frame: frame, offset: offset, into: &output)
                failed = true
                break
            }
            do throws(JT808Error) {
                let location = try JT808Location.read(&item)
                output.appendFix(
                    try location.fix(device: device, clock: &clock, flags: flags)
                )
                produced += 1
            } catch {
                reject(error, frame: frame, offset: offset, into: &output)
                failed = true
            }
        }
        if !cursor.isAtEnd, !failed {
            reject(
                .badBodyLength(declared: cursor.offset, actual: cursor.bytes.count), frame: frame, offset: offset,
                into: &output)
            failed = true
        }
        if batch.count == 0, !failed { output.counters.ignored += 1 }
        let result: JT808GeneralReply.Result = produced > 0 || !failed ? .success : .messageError
        JT808GeneralReply.write(to: header, result: result, writer: &writer, into: &output)
    }

    /// The reply to a message that was rejected after its header was read.
    private mutating func reply(to header: JT808Header, after error: JT808Error, into output: inout WireOutput) {
        switch error {
        case .deviceRefused where header.messageID == JT808Registration.messageID:
            JT808RegistrationReply.write(
                to: header, result: .noSuchTerminal, authCode: [], writer: &writer, into: &output)
        case .deviceRefused, .authenticationFailed:
            JT808GeneralReply.write(to: header, result: .failure, writer: &writer, into: &output)
        case .encrypted, .unknownMessage:
            JT808GeneralReply.write(to: header, result: .unsupported, writer: &writer, into: &output)
        default:
            JT808GeneralReply.write(to: header, result: .messageError, writer: &writer, into: &output)
        }
    }

    private func reject(
        _ error: JT808Error, frame: UnsafeRawBufferPointer, offset: Int, into output: inout WireOutput
    ) {
        output.reject(
            WireError(error.reason, protocol: .jt808, offset: offset, bytes: frame, detail: error.description),
            limit: maxRejectionsKept)
    }

    private func countDropped(_ count: Int, into output: inout WireOutput) {
        for _ in 0..<count {
            output.reject(
                WireError(.jt808SplitDropped, protocol: .jt808, detail: "split message dropped before it was whole"),
                limit: maxRejectionsKept)
        }
    }
}
