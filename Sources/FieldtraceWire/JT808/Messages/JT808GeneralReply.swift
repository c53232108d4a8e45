/// `0x8001` platform general reply: reply serial (2, the terminal message's serial), reply
/// message id (2), result (1).
enum JT808GeneralReply {
    static let messageID: UInt16 = 0x8001

    /// The result byte.
    enum Result: UInt8 {
        /// 0: ok.
        case success = 0
        /// 1: failure (the terminal is refused, its authentication code is wrong).
        case failure = 1
        /// 2: message error. Sent for a frame whose check failed but whose header could be read
        /// (so the terminal resends it), and for a frame whose header is sound but whose body is
        /// not (wrong body length, truncated field, bad time or coordinates).
        case messageError = 2
        /// 3: unsupported (an unknown message id, an encrypted body).
        case unsupported = 3
    }

    /// Appends the reply to the message with `header` to `output`.
    static func write(
        to header: JT808Header, result: Result, writer: inout JT808FrameWriter, into output: inout WireOutput
    ) {
        writer.writeGeneralReply(to: header, result: result.rawValue, into: &output)
    }
}
