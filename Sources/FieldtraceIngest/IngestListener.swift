import FieldtraceWire

/// One protocol on one transport: what a listening socket speaks.
///
/// Default ports follow Traccar's long-standing port table where it has one, so trackers
/// already configured for a Traccar server only need the host changed:
///
/// | listener | transport | default port |
/// | --- | --- | --- |
/// | `nmeaTCP`, `nmeaUDP` | TCP, UDP | 5005 |
/// | `jt808` | TCP | 5015 (Traccar's `huabao`, its JT/T 808 decoder) |
/// | `gt06` | TCP | 5023 |
/// | `teltonikaTCP`, `teltonikaUDP` | TCP, UDP | 5027 |
///
/// A TCP and a UDP listener may share a port number: they are different sockets.
public enum IngestListener: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case nmeaTCP = "nmea-tcp"
    case nmeaUDP = "nmea-udp"
    case jt808 = "jt808-tcp"
    case teltonikaTCP = "teltonika-tcp"
    case teltonikaUDP = "teltonika-udp"
    case gt06 = "gt06-tcp"

    /// The transport a listener binds.
    public enum Transport: String, Sendable, Hashable {
        case tcp, udp
    }

    public var transport: Transport {
        switch self {
        case .nmeaUDP, .teltonikaUDP: .udp
        case .nmeaTCP, .jt808, .teltonikaTCP, .gt06: .tcp
        }
    }

    /// The wire protocol its decoder speaks (the label on its counters and logs).
    public var wireProtocol: WireProtocol {
        switch self {
        case .nmeaTCP, .nmeaUDP: .nmea
        case .jt808: .jt808
        case .teltonikaTCP: .teltonika
        case .teltonikaUDP: .teltonikaUDP
        case .gt06: .gt06
        }
    }

    /// The port bound when the configuration names none (see the table above).
    public var defaultPort: Int {
        switch self {
        case .nmeaTCP, .nmeaUDP: 5005
        case .jt808: 5015
        case .gt06: 5023
        case .teltonikaTCP, .teltonikaUDP: 5027
        }
    }

    /// `nmea-tcp`, `teltonika-udp`, ...: the counter and log label.
    public var description: String { rawValue }
}
