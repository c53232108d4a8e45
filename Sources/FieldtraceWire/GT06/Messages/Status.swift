/// Status / heartbeat message `0x13`: terminal information (1: bit 0 armed, bit 1 ACC on,
/// bit 2 charging, bits 3-5 alarm, bit 6 GPS tracking on, bit 7 oil/electricity cut),
/// voltage level (1: 0 no power ... 6 full), GSM signal strength (1: 0 none ... 4 strong), then
/// alarm/language (2). It carries no position: counted as ignored and acked, which keeps the
/// connection alive. Fields the device left out are `nil`; nothing in it can be invalid.
public struct GT06Status: Sendable, Hashable {
    public static let protocolNumber: UInt8 = 0x13

    public var terminalInfo: UInt8?
    /// Voltage level, 0 (no power) to 6 (full).
    public var voltageLevel: UInt8?
    /// GSM signal strength, 0 (none) to 4 (strong).
    public var gsmSignal: UInt8?

    /// Parses the content of a `0x13` message. Never fails.
    public static func parse(_ content: UnsafeRawBufferPointer) -> GT06Status {
        GT06Status(
            terminalInfo: content.count > 0 ? content[0] : nil,
            voltageLevel: content.count > 1 ? content[1] : nil,
            gsmSignal: content.count > 2 ? content[2] : nil)
    }
}
