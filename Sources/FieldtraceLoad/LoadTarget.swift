/// Where the generator sends: `udp://HOST:PORT` or `tcp://HOST:PORT`. The scheme picks the
/// transport for every listed protocol. A server listens on one port per protocol, so the port
/// part may also be a comma-separated list with one port per listed protocol
/// (`tcp://127.0.0.1:5015,5023,5027` for `--protocol jt808,gt06,teltonika`), or be left out
/// (`tcp://127.0.0.1`) to use each protocol's default port (`LoadProtocol.defaultPort`).
public struct LoadTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable {
        case tcp, udp
    }

    public var transport: Transport
    /// An IPv4 or IPv6 literal or a host name (`[::1]` is written without brackets here).
    public var host: String
    /// No port (each protocol's default), one port (every protocol), or one per listed protocol.
    public var ports: [Int]

    public init(transport: Transport, host: String, port: Int) {
        self.init(transport: transport, host: host, ports: [port])
    }

    public init(transport: Transport, host: String, ports: [Int]) {
        self.transport = transport
        self.host = host
        self.ports = ports
    }

    /// Parses the forms above; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let transport = Transport(rawValue: String(parts[0]).lowercased()) else {
            return nil
        }
        var rest = Substring(parts[1])
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        var host = rest
        var portText: Substring = ""
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
            guard !portText.isEmpty else { return nil }
        }
        var ports: [Int] = []
        // No port part: each protocol's default port ("".split gives one empty item, not none).
        for item in portText.split(separator: ",", omittingEmptySubsequences: false) where !portText.isEmpty {
            guard let port = Int(item), (1...65535).contains(port) else { return nil }
            ports.append(port)
        }
        guard !host.isEmpty else { return nil }
        self.init(transport: transport, host: String(host), ports: ports)
    }

    /// The port protocol `p`, listed at position `position` of the run's protocols, is sent to.
    public func port(for p: LoadProtocol, position: Int) -> Int {
        switch ports.count {
        case 0: p.defaultPort
        case 1: ports[0]
        default: ports[min(position, ports.count - 1)]
        }
    }

    /// Whether the host is IPv4 loopback (127.0.0.0/8 or `localhost`): only then can TCP
    /// connections spread over several source addresses (see
    /// `LoadConfiguration.connectionsPerSourceAddress`).
    public var isIPv4Loopback: Bool { host == "localhost" || host.hasPrefix("127.") }

    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return ports.isEmpty
            ? "\(transport)://\(h)" : "\(transport)://\(h):\(ports.map(String.init).joined(separator: ","))"
    }
}
