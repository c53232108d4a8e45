/// The settings of `fieldtrace serve`: every key with its default and the reason for it. One
/// table drives the `--help` discussion, `sample-data/serve.example.toml` and the lookups, so a
/// key cannot be documented without existing or exist without being documented.
///
/// Sources, later ones winning: the defaults below, the TOML file (`--config`), environment
/// variables `FIELDTRACE_<SECTION>_<KEY>` (e.g. `FIELDTRACE_LISTENERS_JT808_TCP=6015`), flags
/// (`--host`, `--metrics-port`, `--auto-register`, `--fences`, `--routes`, and
/// `--set section.key=value` for any key).
struct ServeSetting: Sendable {
    var section: String
    var key: String
    /// The default as it is written in TOML (strings quoted).
    var defaultValue: String
    var help: String

    var name: String { section + "." + key }
    var environmentName: String { "FIELDTRACE_" + (section + "_" + key).uppercased() }
}

enum ServeSettings {
    static let all: [ServeSetting] = [
        // [server]
        .init(
            section: "server", key: "host", defaultValue: "\"0.0.0.0\"",
            help:
                "Address every tracker listener binds: all IPv4 interfaces, since trackers come in over mobile networks."
        ),
        .init(
            section: "server", key: "metrics_host", defaultValue: "\"127.0.0.1\"",
            help: "Address of the /metrics and /health listener: loopback, scraped by a local agent, not public."),
        .init(
            section: "server", key: "metrics_port", defaultValue: "9108",
            help:
                "Port of /metrics and /health (9108: free in Prometheus' port allocation list); 0 = ephemeral, -1 = off."
        ),
        .init(
            section: "server", key: "log_level", defaultValue: "\"info\"",
            help: "trace, debug, info, notice, warning, error or critical (logs go to standard error)."),
        // [api]
        .init(
            section: "api", key: "host", defaultValue: "\"0.0.0.0\"",
            help: "Address of the HTTP API and OsmAnd listeners: all interfaces, since services and phone apps come "
                + "over the network (put a TLS proxy in front)."),
        .init(
            section: "api", key: "port", defaultValue: "8080",
            help: "HTTP API port (/v1, /health, /ready, /metrics, /openapi.yaml): the usual unprivileged HTTP port; "
                + "0 = ephemeral, -1 = off."),
        .init(
            section: "api", key: "osmand_port", defaultValue: "5055",
            help: "OsmAnd listener (phone apps, no token, any path): the port OsmAnd and Traccar Client are set up "
                + "with; devices admitted like trackers (devices.auto_register, devices.allow_file). 0 = ephemeral, "
                + "-1 = off."),
        .init(
            section: "api", key: "rate_limit_per_s", defaultValue: "20",
            help: "Requests per second per token on average (token bucket; 429 + Retry-After beyond): a dashboard "
                + "view makes a few dozen requests and integrations long-poll; 0 = unlimited (load tests)."),
        .init(
            section: "api", key: "rate_limit_burst", defaultValue: "100",
            help: "Requests a token may make at once before the rate applies: a dashboard opening many panels."),
        .init(
            section: "api", key: "max_body_bytes", defaultValue: "1048576",
            help: "Largest request body (413 beyond): 1 MiB holds a geofence collection of thousands of vertices; "
                + "OsmAnd requests are capped at 64 KiB by the decoder."),
        // [listeners]
        .init(
            section: "listeners", key: "nmea_tcp", defaultValue: "5005",
            help: "NMEA 0183 over TCP (Traccar's port table, so trackers set up for Traccar only change the host). "
                + "For every listener: 0 = ephemeral port, -1 = disabled."),
        .init(section: "listeners", key: "nmea_udp", defaultValue: "5005", help: "NMEA 0183 datagrams."),
        .init(section: "listeners", key: "jt808_tcp", defaultValue: "5015", help: "JT/T 808 over TCP."),
        .init(section: "listeners", key: "gt06_tcp", defaultValue: "5023", help: "GT06 (Concox) over TCP."),
        .init(section: "listeners", key: "teltonika_tcp", defaultValue: "5027", help: "Teltonika Codec 8/8E over TCP."),
        .init(section: "listeners", key: "teltonika_udp", defaultValue: "5027", help: "Teltonika over UDP."),
        // [devices]
        .init(
            section: "devices", key: "auto_register", defaultValue: "false",
            help: "Accept data from any device. Off by default (issue 5): an unknown device gets its protocol's reject "
                + "(Teltonika 00, JT/T 808 result 1, ...). Turn it on for demos and load tests."),
        .init(
            section: "devices", key: "allow_file", defaultValue: "\"\"",
            help: "A file of known device ids, one per line (# comments); read at start. Empty = none."),
        // [analytics]
        .init(
            section: "analytics", key: "fences", defaultValue: "\"\"",
            help: "GeoJSON geofences of the default tenant (analytics.tenant), read at start, besides the directory's "
                + "(/v1/geofences; same id: the directory's wins). Empty = none."),
        .init(
            section: "analytics", key: "routes", defaultValue: "\"\"",
            help: "GeoJSON planned routes with device, from, to, of the default tenant, read at start, besides the "
                + "directory's assignments. Empty = none."),
        .init(
            section: "analytics", key: "tenant", defaultValue: "\"default\"",
            help: "The tenant of devices not registered in the directory (every auto-registered device): their events "
                + "and the seed files."),
        // [store]
        .init(
            section: "store", key: "group_commit_us", defaultValue: "1000",
            help: "WAL group-commit window, µs: batches arriving within it share one fsync. 1 ms keeps ack latency "
                + "low while one fsync serves thousands of fixes under load."),
        // [engine]
        .init(
            section: "engine", key: "shards", defaultValue: "0",
            help: "Analysis shards (threads); 0 = the core count, since the analysis is CPU-bound."),
        .init(
            section: "engine", key: "tick_ms", defaultValue: "1000",
            help: "How often time-driven work runs (reorder release, offline detection, sealing): 1 s, finer than "
                + "every engine timer it drives."),
        .init(
            section: "engine", key: "segment_idle_s", defaultValue: "60",
            help: "A device quiet this long has its buffered fixes sealed into segments (out of the WAL)."),
        .init(
            section: "engine", key: "segment_max_age_s", defaultValue: "300",
            help: "Buffered fixes older than this are sealed: bounds the WAL, so recovery replays at most ~5 minutes."),
        .init(
            section: "engine", key: "mark_late_after_ms", defaultValue: "300000",
            help: "A fix received this long after its fix time is flagged late, and so are its events: 5 minutes, "
                + "past network delays and modest clock skew. A demo replaying a past day raises it."),
        .init(
            section: "engine", key: "offline_after_s", defaultValue: "600",
            help: "A device silent this long is offline (device.offline event); trackers report every few seconds "
                + "to minutes while powered."),
        // [ingest]
        .init(
            section: "ingest", key: "idle_timeout_s", defaultValue: "600",
            help: "A TCP connection silent this long is closed (trackers send heartbeats every 1-5 minutes)."),
        .init(
            section: "ingest", key: "max_connections", defaultValue: "200000",
            help: "Open TCP connections over all listeners (the bar is 100,000 devices; the rest is headroom)."),
        .init(
            section: "ingest", key: "max_connections_per_ip", defaultValue: "1024",
            help: "Open TCP connections from one address (carrier NAT puts many trackers behind one)."),
        .init(
            section: "ingest", key: "udp_sockets", defaultValue: "1",
            help: "SO_REUSEPORT sockets per UDP listener; one takes ~450k datagrams/s, raise on bigger machines."),
        .init(
            section: "ingest", key: "drain_timeout_s", defaultValue: "10",
            help: "On SIGTERM, how long batches in flight may take to become durable and be acked before sockets "
                + "are closed anyway (a device resends what was not acked)."),
    ]

    static func setting(named name: String) -> ServeSetting? { all.first { $0.name == name } }

    /// The `--help` discussion: every key, its default, its reason.
    static var discussion: String {
        var text = """
            Runs the ingest listeners, the engine (WAL, analytics, segments, event log) and a /metrics + /health \
            HTTP listener in one service group. SIGTERM or SIGINT: stop accepting, drain and ack in-flight batches, \
            seal and fsync, exit 0. Prints one line `serve listening ...` with every bound port once ready.

            Settings (precedence: flags > environment FIELDTRACE_<SECTION>_<KEY> > --config TOML file > defaults):

            """
        var section = ""
        for s in all {
            if s.section != section {
                section = s.section
                text += "\n[\(section)]\n"
            }
            text += "  \(s.key) = \(s.defaultValue)\n      \(s.help)\n"
        }
        return text
    }

    /// The sample TOML file: every key at its default, commented.
    static var sampleTOML: String {
        var text = """
            # fieldtrace serve: every setting at its default (generated from ServeSettings.all).
            # Environment variables FIELDTRACE_<SECTION>_<KEY> and flags override this file.

            """
        var section = ""
        for s in all {
            if s.section != section {
                section = s.section
                text += "\n[\(section)]\n"
            }
            text += "# \(s.help)\n\(s.key) = \(s.defaultValue)\n"
        }
        return text
    }
}
