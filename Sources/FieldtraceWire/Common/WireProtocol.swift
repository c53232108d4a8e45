import FieldtraceCore

/// The wire formats Fieldtrace decodes. Raw values are the names used on the command line,
/// in counters and in logs.
public enum WireProtocol: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case nmea
    case jt808
    case teltonika
    case teltonikaUDP = "teltonika-udp"
    case gt06
    case osmand

    /// The source recorded on fixes that arrive by this protocol.
    public var source: SourceProtocol {
        switch self {
        case .nmea: .nmea
        case .jt808: .jt808
        case .teltonika, .teltonikaUDP: .teltonika
        case .gt06: .gt06
        case .osmand: .osmand
        }
    }

    public var description: String { rawValue }
}
