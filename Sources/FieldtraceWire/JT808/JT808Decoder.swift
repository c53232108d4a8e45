import FieldtraceCore

/// The JT/T 808 decoder for one TCP connection: framer, parser and reply builder behind one
/// value-type state machine (protocols.md section 2).
///
/// Bytes go through `JT808Framer` (un-escape, XOR check, frame cap), each frame through
/// `JT808Session` (header, identity, split packages, messages, replies). Every frame whose
/// header can be read gets exactly one reply:
/// - `0x0100` registration: `0x8100` result 0 with `WireConfiguration.jt808AuthCode`
///   (result 4 "no such terminal" when `isDeviceAllowed` refuses the terminal);
/// - `0x0102` authentication, `0x0002` heartbeat, `0x0200` location, `0x0704` batch:
///   `0x8001` result 0 (1 for a refused terminal or a wrong authentication code);
/// - a frame whose check fails but whose header can be read, or whose body is malformed:
///   `0x8001` result 2 (message error), so the terminal resends it;
/// - other message ids and encrypted bodies: `0x8001` result 3 (unsupported).
/// The packages of a split message are each acknowledged (`0x8001` result 0); the package that
/// completes the message gets the message's own reply.
///
/// Locations are accepted from any terminal `isDeviceAllowed` accepts, registered and
/// authenticated on this connection or not: every header names its terminal, and a terminal
/// that reconnects often skips straight to its data. Identity is the terminal phone number's
/// decimal digits as sent (12 for 2013, 20 for 2019), leading zeros kept.
public struct JT808Decoder: WireDecoder {
    public static let wireProtocol = WireProtocol.jt808

    private var framer: JT808Framer
    private var session: JT808Session
    /// Bytes consumed before the current call.
    private var streamOffset = 0

    public init(configuration: WireConfiguration) {
        framer = JT808Framer(maxFrameBytes: configuration.limits.jt808FrameMaxBytes)
        session = JT808Session(configuration: configuration)
    }

    public var identity: DeviceID? { session.identity }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        session.setClock(receivedMs)
        var offset = 0
        while offset < bytes.count {
            do throws(JT808Error) {
                guard let frame = try framer.next(bytes, offset: &offset, streamOffset: streamOffset) else { break }
                framer.buffer.withUnsafeBytes { raw in
                    session.handle(
                        frame: UnsafeRawBufferPointer(rebasing: raw[0..<frame.byteCount]), offset: frame.offset,
                        into: &output)
                }
            } catch {
                framingError(error, into: &output)
            }
        }
        streamOffset &+= bytes.count
    }

    public mutating func finish(into output: inout WireOutput) {
        if let error = framer.finish() { framingError(error, into: &output) }
        session.finish(into: &output)
    }

    private mutating func framingError(_ error: JT808Error, into output: inout WireOutput) {
        let count = min(framer.completedBytes, framer.buffer.count)
        let offset = framer.startOffset
        framer.buffer.withUnsafeBytes { raw in
            session.rejectFrame(
                error, frame: UnsafeRawBufferPointer(rebasing: raw[0..<count]), offset: offset, into: &output)
        }
    }
}
