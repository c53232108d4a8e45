import FieldtraceAPI
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceEngine
import FieldtraceIngest
import FieldtraceStore
import Foundation
import Logging

/// The typed settings of one `fieldtrace serve` run, resolved from `ServeConfigurationLoader`.
struct ServeConfiguration: Sendable {
    var ingest = IngestConfiguration()
    var engine = EngineConfiguration()
    var store = StoreOptions()
    var metricsHost = "127.0.0.1"
    /// nil = no metrics listener.
    var metricsPort: Int? = 9108
    var logLevel = Logger.Level.info
    var tickInterval: Duration = .seconds(1)
    var autoRegister = false
    var allowedDevices: Set<DeviceID> = []
    var fencesPath = ""
    var routesPath = ""
    var tenant = "default"
    /// The HTTP API; nil = off (`api.port = -1`).
    var api: APIConfiguration? = APIConfiguration()

    static let listenerKeys: [(IngestListener, String)] = [
        (.nmeaTCP, "listeners.nmea_tcp"), (.nmeaUDP, "listeners.nmea_udp"), (.jt808, "listeners.jt808_tcp"),
        (.gt06, "listeners.gt06_tcp"), (.teltonikaTCP, "listeners.teltonika_tcp"),
        (.teltonikaUDP, "listeners.teltonika_udp"),
    ]

    init(_ l: ServeConfigurationLoader) throws {
        ingest.host = l.string("server.host")
        metricsHost = l.string("server.metrics_host")
        let metrics = try l.int("server.metrics_port", in: -1...65535)
        metricsPort = metrics < 0 ? nil : metrics
        guard let level = Logger.Level(rawValue: l.string("server.log_level")) else {
            throw ServeConfigurationLoader.LoadError(
                description: "server.log_level = '\(l.string("server.log_level"))': unknown level")
        }
        logLevel = level
        var ports: [IngestListener: Int] = [:]
        for (listener, key) in Self.listenerKeys {
            let port = try l.int(key, in: -1...65535)
            if port >= 0 { ports[listener] = port }
        }
        ingest.ports = ports
        autoRegister = try l.bool("devices.auto_register")
        let allowFile = l.string("devices.allow_file")
        if !allowFile.isEmpty {
            let text = try Self.read(allowFile, setting: "devices.allow_file")
            for line in text.split(separator: "\n") {
                let id = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                if id.isEmpty { continue }
                guard let device = DeviceID(id) else {
                    throw ServeConfigurationLoader.LoadError(description: "\(allowFile): '\(id)' is not a device id")
                }
                allowedDevices.insert(device)
            }
        }
        if !autoRegister {
            let allowed = allowedDevices
            ingest.wire.isDeviceAllowed = { allowed.contains($0) }
        }
        fencesPath = l.string("analytics.fences")
        routesPath = l.string("analytics.routes")
        tenant = l.string("analytics.tenant")
        store.walGroupCommitMicroseconds = try l.int("store.group_commit_us", in: 0...1_000_000)
        let shards = try l.int("engine.shards", in: 0...1024)
        engine = EngineConfiguration(shardCount: shards == 0 ? EngineConfiguration.processorCount : shards)
        tickInterval = .milliseconds(try l.int("engine.tick_ms", in: 10...600_000))
        engine.segmentIdleMs = Int64(try l.int("engine.segment_idle_s", in: 1...86_400)) * 1000
        engine.segmentMaxAgeMs = Int64(try l.int("engine.segment_max_age_s", in: 1...86_400)) * 1000
        engine.offlineAfterMs = Int64(try l.int("engine.offline_after_s", in: 1...604_800)) * 1000
        engine.markLateAfterMs = Int64(try l.int("engine.mark_late_after_ms", in: 1...31_536_000_000))
        ingest.limits.idleTimeout = .seconds(try l.int("ingest.idle_timeout_s", in: 1...86_400))
        ingest.limits.maxConnections = try l.int("ingest.max_connections", in: 1...10_000_000)
        ingest.limits.maxConnectionsPerIP = try l.int("ingest.max_connections_per_ip", in: 1...10_000_000)
        ingest.limits.udpSocketsPerListener = try l.int("ingest.udp_sockets", in: 1...64)
        ingest.limits.drainTimeout = .seconds(try l.int("ingest.drain_timeout_s", in: 1...3600))
        try readAPI(l)
    }

    /// `[api]`: after `[devices]`, so OsmAnd devices are admitted by the trackers' rule.
    mutating func readAPI(_ l: ServeConfigurationLoader) throws {
        let port = try l.int("api.port", in: -1...65535)
        guard port >= 0 else {
            api = nil
            return
        }
        var a = APIConfiguration()
        a.host = l.string("api.host")
        a.port = port
        let osmand = try l.int("api.osmand_port", in: -1...65535)
        a.osmandPort = osmand < 0 ? nil : osmand
        a.rateLimitPerSecond = Double(try l.int("api.rate_limit_per_s", in: 0...1_000_000))
        a.rateLimitBurst = Double(try l.int("api.rate_limit_burst", in: 1...1_000_000))
        a.maxBodyBytes = try l.int("api.max_body_bytes", in: 1024...1_073_741_824)
        a.wire = ingest.wire
        api = a
    }

    /// The analytics setup every device gets: the configured fences and routes.
    func analyticsSetup() throws -> AnalyticsSetup {
        var fences: [Geofence] = []
        var routes: [PlannedRoute] = []
        if !fencesPath.isEmpty {
            let bytes = Array(try Self.read(fencesPath, setting: "analytics.fences").utf8)
            do { fences = try Geofence.readCollection(bytes) } catch {
                throw ServeConfigurationLoader.LoadError(description: "\(fencesPath): \(error)")
            }
        }
        if !routesPath.isEmpty {
            let bytes = Array(try Self.read(routesPath, setting: "analytics.routes").utf8)
            do { routes = try PlannedRoute.readCollection(bytes) } catch {
                throw ServeConfigurationLoader.LoadError(description: "\(routesPath): \(error)")
            }
        }
        return AnalyticsSetup(fences: fences, routes: routes)
    }

    static func read(_ path: String, setting: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServeConfigurationLoader.LoadError(description: "\(setting): cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
