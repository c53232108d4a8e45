import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore
import Foundation

/// `fieldtrace analyze`: the engine's per-device analytics run offline over a track file.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print geofence, stop, trip, deviation and overspeed events of a track file as JSON lines.",
        discussion: """
            Each device's fixes run, in fix-time order, through the sanity filter, the online Kalman
            filter and every detector, exactly as the engine runs them live. Events are printed in
            order of their time (the crossing, arrival or departure time), then device order, then
            detection order. Input: CSV with a header naming at least device,time,lat,lon (optional
            speed_mps,course_deg,hdop,accuracy_m,alt_m; time ISO 8601 or Unix ms), or decode's JSON
            lines. Fences: GeoJSON (circle = Point + radius_m, Polygon, corridor = LineString +
            width_m). Routes: GeoJSON LineStrings with id, width_m, device, from, to.
            --config: a JSON object of sections and keys, every one optional:
              kalman: enabled (true), use_reported_velocity (true)
              sanity: max_speed_mps (70)
              stops: radius_m (60), min_duration_s (120), excursion_tolerance_s (90), max_gap_s (14400),
                     long_stay_s (7200)
              trips: max_gap_s (300), min_distance_m (50)
              geofences: margin_m (30), enter_dwell_s (90), exit_dwell_s (120)
              deviation: grace_s (60), margin_m (10), return_dwell_s (10)
              overspeed: limit_kmh (none), min_duration_s (10), end_dwell_s (5)
            """)

    @Option(help: "Geofences, a GeoJSON FeatureCollection.") var fences: String?
    @Option(help: "Planned routes, a GeoJSON FeatureCollection of LineStrings.") var routes: String?
    @Option(help: "Analytics settings, a JSON file (see below).") var config: String?
    @Argument(help: "The track file, or - for standard input.") var file: String

    func run() throws {
        let setup = try loadSetup()
        let input = try TrackInput(path: file, command: "analyze")
        var lines: [(time: Int64, device: Int, order: Int, event: AnalyticsEvent)] = []
        for (deviceOrder, (device, indices)) in input.indicesByDevice.enumerated() {
            var analytics = DeviceAnalytics(device: device, setup: setup)
            var events: [AnalyticsEvent] = []
            for i in indices { analytics.process(input.fixes[i], into: &events) }
            analytics.finish(into: &events)
            for (k, event) in events.enumerated() { lines.append((event.timeMs, deviceOrder, k, event)) }
        }
        lines.sort { ($0.time, $0.device, $0.order) < ($1.time, $1.device, $1.order) }
        var writer = BufferedWriter(fd: 1)
        for line in lines {
            line.event.appendJSONLine(to: &writer.buffer)
            writer.buffer.append(UInt8(ascii: "\n"))
            writer.flushIfFull()
        }
        writer.flush()
    }

    func loadSetup() throws -> AnalyticsSetup {
        func read(_ path: String) throws -> [UInt8] {
            do { return try CLIOutput.readAll(path) } catch {
                CLIOutput.standardError("fieldtrace analyze: \(error)\n")
                throw ExitCode(2)
            }
        }
        func refuse(_ path: String, _ error: some Error) -> ExitCode {
            CLIOutput.standardError("fieldtrace analyze: \(path): \(error)\n")
            return ExitCode(1)
        }
        var configuration = AnalyticsConfiguration()
        if let config {
            let bytes = try read(config)
            do { configuration = try AnalyticsConfigurationFile.parse(bytes) } catch { throw refuse(config, error) }
        }
        var fenceList: [Geofence] = []
        if let fences {
            let bytes = try read(fences)
            do { fenceList = try Geofence.readCollection(bytes) } catch { throw refuse(fences, error) }
        }
        var routeList: [PlannedRoute] = []
        if let routes {
            let bytes = try read(routes)
            do { routeList = try PlannedRoute.readCollection(bytes) } catch { throw refuse(routes, error) }
        }
        return AnalyticsSetup(configuration: configuration, fences: fenceList, routes: routeList)
    }
}

/// The JSON settings file of `analyze` (and later `serve`): sections of optional keys, each
/// mapped onto a detector's configuration. Unknown sections or keys and wrong types are errors,
/// so a typo never silently leaves a default in place.
enum AnalyticsConfigurationFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ bytes: [UInt8]) throws -> AnalyticsConfiguration {
        // Our own parser: Foundation's on Linux reads 0 and 1 as booleans too, so `enter_dwell_s: 0`
        // was refused and `enabled: 1` accepted.
        guard let rootValue = try? JSONParser().parse(bytes), let root = rootValue.objectValue else {
            throw Problem(description: "not a JSON object")
        }
        var c = AnalyticsConfiguration()
        for member in root.sorted(by: { $0.key < $1.key }) {
            let section = member.key
            guard let members = member.value.objectValue else {
                throw Problem(description: "\(section): not an object")
            }
            let keys = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            func number(_ key: String) throws -> Double {
                guard case .number(let n) = keys[key], n.value.isFinite, n.value >= 0
                else { throw Problem(description: "\(section).\(key): must be a number >= 0") }
                return n.value
            }
            func flag(_ key: String) throws -> Bool {
                guard case .bool(let b) = keys[key] else {
                    throw Problem(description: "\(section).\(key): must be true or false")
                }
                return b
            }
            for key in keys.keys.sorted() {
                switch (section, key) {
                case ("kalman", "enabled"): c.useKalman = try flag(key)
                case ("kalman", "use_reported_velocity"): c.kalman.useReportedVelocity = try flag(key)
                case ("sanity", "max_speed_mps"): c.sanity.maxSpeedMetersPerSecond = try number(key)
                case ("stops", "radius_m"): c.trips.stops.radiusMeters = try number(key)
                case ("stops", "min_duration_s"): c.trips.stops.minDurationSeconds = try number(key)
                case ("stops", "excursion_tolerance_s"): c.trips.stops.excursionToleranceSeconds = try number(key)
                case ("stops", "max_gap_s"): c.trips.stops.maxGapSeconds = try number(key)
                case ("stops", "long_stay_s"): c.trips.stops.longStaySeconds = try number(key)
                case ("trips", "max_gap_s"): c.trips.maxGapSeconds = try number(key)
                case ("trips", "min_distance_m"): c.trips.minDistanceMeters = try number(key)
                case ("geofences", "margin_m"): c.geofences.marginM = try number(key)
                case ("geofences", "enter_dwell_s"): c.geofences.enterDwellS = try number(key)
                case ("geofences", "exit_dwell_s"): c.geofences.exitDwellS = try number(key)
                case ("deviation", "grace_s"): c.deviation.graceSeconds = try number(key)
                case ("deviation", "margin_m"): c.deviation.marginMeters = try number(key)
                case ("deviation", "return_dwell_s"): c.deviation.returnDwellSeconds = try number(key)
                case ("overspeed", "limit_kmh"): c.speedLimitKmh = try number(key)
                case ("overspeed", "min_duration_s"): c.overspeed.minDurationSeconds = try number(key)
                case ("overspeed", "end_dwell_s"): c.overspeed.endDwellSeconds = try number(key)
                default: throw Problem(description: "unknown setting \(section).\(key)")
                }
            }
        }
        guard c.trips.stops.excursionToleranceSeconds < c.trips.stops.minDurationSeconds else {
            throw Problem(description: "stops.excursion_tolerance_s must be below stops.min_duration_s")
        }
        guard c.trips.stops.radiusMeters > 0 else { throw Problem(description: "stops.radius_m must be > 0") }
        return c
    }
}
