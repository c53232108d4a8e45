/// Where the generator sends: `udp://HOST:PORT` or `tcp://HOST:PORT`. The scheme picks the
/// transport for every listed protocol.
public struct LoadTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable {
        case tcp, udp
    }

    public var transport: Transport
    /// An IPv4 or IPv6 literal or a host name (`[::1]` is written without brackets here).
    public var host: String
    public var port: Int

    public init(transport: Transport, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    /// Parses `udp://HOST:PORT` or `tcp://HOST:PORT` (`tcp://[::1]:5027` for IPv6); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let transport = Transport(rawValue: String(parts[0]).lowercased()) else {
            return nil
        }
        var rest = Substring(parts[1])
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            portText = after.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.init(transport: transport, host: String(host), port: port)
    }

    /// Whether the host is on this machine's loopback (127.0.0.0/8, `localhost`, `::1`): only then
    /// can TCP connections spread over several source addresses (see
    /// `LoadConfiguration.connectionsPerSourceAddress`).
    public var isIPv4Loopback: Bool { host == "localhost" || host.hasPrefix("127.") }

    public var description: String {
        host.contains(":") ? "\(transport)://[\(host)]:\(port)" : "\(transport)://\(host):\(port)"
    }
}
