import FieldtraceWire

/// Settings of the HTTP API (`[api]` in `fieldtrace serve`'s settings). Each default says why.
public struct APIConfiguration: Sendable {
    /// Address the API and OsmAnd listeners bind: all interfaces, since phone apps and
    /// services come from the network (put a TLS proxy in front).
    public var host = "0.0.0.0"
    /// API port; 0 = ephemeral. 8080: the usual unprivileged HTTP port.
    public var port = 8080
    /// OsmAnd listener port (no auth, `/` and any path); nil = off. 5055: what OsmAnd and
    /// Traccar Client are set up with.
    public var osmandPort: Int? = 5055
    /// Requests per second a token may make on average (token bucket refill); 0 = unlimited.
    /// 20/s: a dashboard view makes a few dozen requests, an integration long-polls; 20/s
    /// sustained still replays 72,000 device-days an hour per token, while a runaway script is
    /// stopped. Load tests raise it or set 0.
    public var rateLimitPerSecond: Double = 20
    /// Requests a token may make at once before the rate applies (bucket size): 100 covers a
    /// dashboard opening with many panels.
    public var rateLimitBurst: Double = 100
    /// Largest request body, bytes (413 beyond). 1 MiB: a geofence collection of a few
    /// thousand vertices or an OsmAnd batch of hundreds of positions fits; anything larger is
    /// a mistake or an attack. (OsmAnd requests are capped by `wire.limits.osmandRequestMaxBytes`.)
    public var maxBodyBytes = APIConfiguration.defaultMaxBodyBytes
    /// Decoder settings for OsmAnd: the request cap and `isDeviceAllowed`, the same admission
    /// rule as the tracker listeners (`devices.auto_register`, `devices.allow_file`).
    public var wire = WireConfiguration()

    public static let defaultMaxBodyBytes = 1 << 20

    public init() {}
}
