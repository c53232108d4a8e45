/// `0x8100` terminal registration reply: reply serial (2), result (1), and, only when the
/// result is 0, the authentication code (the rest of the body, GBK; Fieldtrace sends ASCII).
enum JT808RegistrationReply {
    static let messageID: UInt16 = 0x8100
    /// Longest authentication code sent: what fits a body of 1023 bytes after serial and result.
    static let maxAuthCodeBytes = 0x03FF - 3

    /// The result byte.
    enum Result: UInt8 {
        case success = 0
        case vehicleAlreadyRegistered = 1
        case noSuchVehicle = 2
        case terminalAlreadyRegistered = 3
        /// 4: no such terminal in the platform's records: the answer to a refused terminal.
        case noSuchTerminal = 4
    }

    /// Appends the reply to the registration with `header` to `output`.
    static func write(
        to header: JT808Header, result: Result, authCode: [UInt8], writer: inout JT808FrameWriter,
        into output: inout WireOutput
    ) {
        let code = result == .success ? min(authCode.count, maxAuthCodeBytes) : 0
        writer.write(messageID: messageID, to: header, bodyCount: 3 + code, into: &output) { body in
            body.storeBytes(of: header.serial.bigEndian, as: UInt16.self)
            body.storeBytes(of: result.rawValue, toByteOffset: 2, as: UInt8.self)
            authCode.withUnsafeBytes { bytes in
                if code > 0, let source = bytes.baseAddress { (body + 3).copyMemory(from: source, byteCount: code) }
            }
        }
    }
}
