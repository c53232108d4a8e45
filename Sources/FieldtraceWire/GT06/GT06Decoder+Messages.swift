import FieldtraceCore

extension GT06Decoder {
    /// Protocol numbers that carry no position and want no reply: `0x15` string information
    /// (command response), `0x21` online command response, `0x94` information transfer (`79 79`
    /// frames: external voltage, ICCID, door status, ...). Counted as ignored.
    static let ignoredProtocolNumbers: Set<UInt8> = [0x15, 0x21, 0x94]

    /// Acts on one checked frame: sets identity, appends fixes and acks, counts ignored frames.
    /// Throws for frames that are rejected (no ack).
    mutating func handle(_ frame: GT06Frame, receivedMs: Int64, into output: inout WireOutput) throws(GT06Error) {
        let number = frame.protocolNumber
        if number == GT06Login.protocolNumber {
            let login = try GT06Login.parse(frame.content)
            guard configuration.isDeviceAllowed(login.device) else {
                output.shouldClose = true
                throw .refused
            }
            identity = login.device
            output.identity = login.device
            output.counters.ignored += 1
            ack(frame, &output)
            return
        }
        guard let device = identity else {
            throw number == GT06Location.protocolNumber || number == GT06Location.protocolNumberV2
                || number == GT06Status.protocolNumber || number == GT06Alarm.protocolNumber
                || Self.ignoredProtocolNumbers.contains(number)
                ? .noIdentity : .unknownProtocol(number)
        }
        switch number {
        case GT06Location.protocolNumber, GT06Location.protocolNumberV2:
            let location = try GT06Location.parse(frame.content, protocolNumber: number, dates: &dates)
            output.appendFix(location.gps.fix(device: device, receivedMs: receivedMs, late: location.isReupload))
            ack(frame, &output)
        case GT06Alarm.protocolNumber:
            let alarm = try GT06Alarm.parse(frame.content, dates: &dates)
            output.appendFix(alarm.gps.fix(device: device, receivedMs: receivedMs, late: false))
            ack(frame, &output)
        case GT06Status.protocolNumber:
            _ = GT06Status.parse(frame.content)
            output.counters.ignored += 1
            ack(frame, &output)
        default:
            guard Self.ignoredProtocolNumbers.contains(number) else { throw .unknownProtocol(number) }
            output.counters.ignored += 1
        }
    }

    /// Appends the `78 78 05` ack echoing the frame's protocol number and serial.
    func ack(_ frame: GT06Frame, _ output: inout WireOutput) {
        var bytes = GT06Ack.bytes(protocolNumber: frame.protocolNumber, serial: frame.serial)
        withUnsafeBytes(of: &bytes) { output.appendReply($0) }
    }
}
