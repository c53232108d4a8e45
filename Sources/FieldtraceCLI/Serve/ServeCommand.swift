import ArgumentParser
import FieldtraceAPI
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceDelivery
import FieldtraceEngine
import FieldtraceIngest
import FieldtraceReports
import FieldtraceStore
import Foundation
import Logging
import ServiceLifecycle

/// `fieldtrace serve`: the running engine (issue 5 item 3).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive trackers over TCP and UDP, store durably, ack, analyse live, write events.",
        discussion: ServeSettings.discussion)

    @Option(help: "The data directory (created if missing).") var data: String
    @Option(help: "A TOML settings file (see the settings below).") var config: String?
    @Option(help: "Overrides server.host.") var host: String?
    @Option(help: "Overrides server.metrics_port (0 = ephemeral, -1 = off).") var metricsPort: Int?
    @Flag(help: "Overrides devices.auto_register with true.") var autoRegister = false
    @Option(help: "Overrides analytics.fences.") var fences: String?
    @Option(help: "Overrides analytics.routes.") var routes: String?
    @Option(help: "Overrides server.log_level.") var logLevel: String?
    @Option(name: .customLong("set"), help: "section.key=value for any setting; repeatable; wins over everything.")
    var settings: [String] = []
    @Flag(help: "Print the sample TOML file (every setting at its default) and exit.") var printSampleConfig = false

    /// Every layer, in precedence order.
    func loadConfiguration() throws -> ServeConfiguration {
        var loader = ServeConfigurationLoader()
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else {
                throw ServeConfigurationLoader.LoadError(description: "cannot read --config \(config)")
            }
            try loader.applyTOML(String(decoding: data, as: UTF8.self), path: config)
        }
        try loader.applyEnvironment(ProcessInfo.processInfo.environment)
        if let host { try loader.set("server.host", host, origin: "flag") }
        if let metricsPort { try loader.set("server.metrics_port", "\(metricsPort)", origin: "flag") }
        if autoRegister { try loader.set("devices.auto_register", "true", origin: "flag") }
        if let fences { try loader.set("analytics.fences", fences, origin: "flag") }
        if let routes { try loader.set("analytics.routes", routes, origin: "flag") }
        if let logLevel { try loader.set("server.log_level", logLevel, origin: "flag") }
        for item in settings {
            guard let equals = item.firstIndex(of: "=") else {
                throw ServeConfigurationLoader.LoadError(description: "--set \(item): expected section.key=value")
            }
            try loader.set(
                String(item[..<equals]), String(item[item.index(after: equals)...]), origin: "flag --set")
        }
        return try ServeConfiguration(loader)
    }

    func run() async throws {
        if printSampleConfig {
            CLIOutput.writeAll(fd: 1, Array(ServeSettings.sampleTOML.utf8))
            return
        }
        let c: ServeConfiguration
        let setup: AnalyticsSetup
        do {
            c = try loadConfiguration()
            setup = try c.analyticsSetup()
        } catch let error as ServeConfigurationLoader.LoadError {
            CLIOutput.standardError("fieldtrace serve: \(error)\n")
            throw ExitCode(2)
        }
        SimulateCommand.raiseFileLimit()
        let level = c.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fieldtrace.serve")

        let store = try TrackStore(directory: data, options: c.store)
        if store.recovery.batches.count > 0 || store.recovery.truncatedBytes > 0 {
            logger.notice(
                "recovered the WAL",
                metadata: [
                    "wal.batches": "\(store.recovery.batches.count)",
                    "wal.truncated_bytes": "\(store.recovery.truncatedBytes)",
                ])
        }
        let eventLog = try EventLog(catalog: store.catalog)
        // Fences, routes and assignments of every tenant come from the directory; the files of
        // analytics.fences / analytics.routes stay a read-only seed of the default tenant.
        let directory = Directory(catalog: store.catalog)
        let setups = DirectorySetups(
            directory: directory, defaultTenant: c.tenant, configuration: setup.configuration,
            seedFences: setup.fences, seedRoutes: setup.routes)
        let engine = AnalyticsEngine(
            store: store, eventLog: eventLog, configuration: c.engine, nowMs: WallClock.nowMs,
            profile: { device in
                let profile = setups.profile(for: device)
                return DeviceProfile(tenant: profile.tenant, setup: profile.setup)
            })
        directory.observeChanges { tenant in engine.refreshProfiles(tenant: tenant) }
        engine.start()
        // Every durable batch also files its devices' newest positions for dispatch and the
        // live map (the API's `LiveFleet`).
        let fleet = LiveFleet()
        let filing = DeviceFiling(directory: directory, defaultTenant: c.tenant)
        let sink = AckLatencySink(LiveFleetSink(engine, fleet: fleet, filing: { filing.filing(of: $0) }))
        let ingest = IngestServer(
            configuration: c.ingest, sink: sink, logger: Logger(label: "fieldtrace.ingest"))
        do {
            try await ingest.start()
        } catch {
            CLIOutput.standardError("fieldtrace serve: cannot listen: \(error)\n")
            try? await engine.shutdown()
            try? store.close()
            throw ExitCode(1)
        }
        var services: [any Service] = [
            EngineService(engine: engine, tickInterval: c.tickInterval, logger: logger) { setups.rollOver() }
        ]
        // Webhooks of every tenant are delivered whether or not the API listens.
        let webhookTransport = HTTPClientTransport()
        let deliverer = WebhookDeliverer(
            store: WebhookStore(catalog: store.catalog), eventLog: eventLog, transport: webhookTransport,
            groupMembers: GroupMembership.resolver(directory), logger: Logger(label: "fieldtrace.webhooks"))
        let broadcaster = c.api.map { _ in
            EventBroadcaster(eventLog: eventLog, logger: Logger(label: "fieldtrace.events"))
        }
        var metricsPart = ""
        let metrics = ServeMetrics(
            ingest: ingest, engine: engine, sink: sink, deliverer: deliverer, broadcaster: broadcaster)
        if let port = c.metricsPort {
            let http: MetricsHTTPService
            do {
                http = try await MetricsHTTPService.bind(
                    host: c.metricsHost, port: port, metrics: { metrics.render() },
                    healthy: { engine.failure == nil }, logger: logger)
            } catch {
                CLIOutput.standardError("fieldtrace serve: cannot listen for metrics: \(error)\n")
                await ingest.stop()
                try? await engine.shutdown()
                try? store.close()
                throw ExitCode(1)
            }
            services.append(http)
            metricsPart = " metrics=\(c.metricsHost):\(http.port ?? port)"
        }
        services.append(deliverer)
        // After the engine and before ingest: on shutdown the API drains before the engine stops.
        // The SSE fan-out comes after the API, so it stops first and ends the open streams.
        var api: APIServer?
        if let configuration = c.api, let broadcaster {
            let server = APIServer(
                services: APIServices(
                    store: store, eventLog: eventLog, sink: sink, configuration: configuration, nowMs: WallClock.nowMs,
                    metricsText: { metrics.render() }, isHealthy: { engine.failure == nil },
                    isReady: { engine.failure == nil }, logger: Logger(label: "fieldtrace.api"), directory: directory,
                    fleet: fleet, eventBroadcaster: broadcaster, webhooksChanged: { deliverer.subscriptionsChanged() }))
            services.append(contentsOf: server.services)
            services.append(broadcaster)
            api = server
        }
        services.append(IngestService(server: ingest))

        var line = "serve listening host=\(c.ingest.host)"
        for (listener, _) in ServeConfiguration.listenerKeys {
            if let port = ingest.port(of: listener) { line += " \(listener.rawValue)=\(port)" }
        }
        line += metricsPart

        let group = ServiceGroup(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        var failed = false
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // The API listeners bind inside the group: the line waits for their ports.
                if let api, let configuration = c.api {
                    let ports = await api.waitUntilListening()
                    if let port = ports["api"], configuration.osmandPort == nil || ports["osmand"] != nil {
                        line += " api=\(port)" + (ports["osmand"].map { " osmand=\($0)" } ?? "")
                    } else {
                        CLIOutput.standardError(
                            "fieldtrace serve: cannot listen for the API on \(configuration.host):\(configuration.port)"
                                + (configuration.osmandPort.map { " / OsmAnd on \($0)" } ?? "") + "\n")
                        line = ""
                    }
                }
                if !line.isEmpty {
                    line += " data=\(data) auto_register=\(c.autoRegister)\n"
                    CLIOutput.writeAll(fd: 1, Array(line.utf8))
                }
                try await tasks.next()
            }
        } catch {
            logger.error("serve stopped on an error", metadata: ["error": "\(error)"])
            failed = true
        }
        try? await webhookTransport.shutdown()
        do {
            try store.close()
        } catch {
            logger.error("closing the store failed", metadata: ["error": "\(error)"])
            failed = true
        }
        let m = engine.metrics()
        CLIOutput.standardError(
            "serve stopped fixes_accepted=\(m.fixesAccepted) duplicates=\(m.fixesDuplicate) events=\(m.eventsEmitted)\n"
        )
        if failed || m.failed { throw ExitCode(1) }
    }
}
