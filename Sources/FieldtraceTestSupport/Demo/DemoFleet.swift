import FieldtraceCore

/// The world of `fieldtrace demo` (issue 7 item 7): a field-service company in Lyon with 30
/// customer sites and 2 depots (geofences), 3 groups with weekly shifts, 3 planned routes, and
/// 50 workers whose working day is simulated with the scenario machinery (`TrueTrackBuilder`
/// along `RoadPaths.grid` streets, `GPSErrorModel` noise and multipath outliers).
///
/// A worker's day, in local time (`timeZone`), inside the simulated window 06:30-18:00
/// (`windowStartMinute...windowEndMinute`): parked at home, drives to the group's depot to
/// arrive 3-15 minutes before the shift (the late workers 15-45 minutes after it), loads for
/// 8-15 minutes, visits customer sites (stays of 10-60 minutes, the next site one of the 4
/// nearest not yet visited) until the shift's end is near, drives back to the depot, stays
/// until the shift ends, then parks in the depot's car park (outside its fence) for the night.
///
/// Special workers (by index, so a small fleet of the first N still shows some):
/// - late: 1, 6, 13, 22, 37 (15-45 minutes after the shift starts);
/// - 3 leaves the post: 15 minutes into its third visit it drives 1.2-2 km to a place that is no
///   site and comes back, 40 minutes away in all;
/// - 0, 4 and 8 drive planned routes `route-1`...`route-3` (the street path of their day, from
///   home to the car park, a 60 m corridor); 4 deviates: its third drive between sites takes a
///   detour at least 500 m off the planned streets.
///
/// Deterministic: the world depends only on the seed; worker `i`'s day only on the seed, `i`
/// and the day's start instant (never on how many workers are driven). Reports every 5 s
/// (every 60 s while parked at home or in the car park).
public struct DemoFleet: Sendable {
    /// Workers in the demo: 50 mixed-protocol trackers, a fleet a dispatcher still reads at a glance.
    public static let defaultWorkers = 50
    /// The city's time zone (IANA), in which the shifts and the window are local times.
    public static let timeZone = "Europe/Paris"
    public static let cityName = "Lyon"
    /// The simulated window, local minutes of the day: 06:30 (before the first commute of the
    /// 07:00 group) to 18:00 (after every group's return to the depot).
    public static let windowStartMinute = 390
    public static let windowEndMinute = 1080
    /// Seconds from the window's start to its end (11.5 hours).
    public static var windowSeconds: Int { (windowEndMinute - windowStartMinute) * 60 }
    /// The reporting interval while on the move or on a site, seconds (a common tracker setting).
    public static let intervalSeconds = 5
    /// The reporting interval while parked at home or in the car park, seconds.
    public static let parkedIntervalSeconds = 60
    /// Full width of the planned routes' corridors, metres: streets plus GPS error on both sides.
    public static let routeWidthM = 60.0

    static let lateWorkers: [Int] = [1, 6, 13, 22, 37]
    static let leavesPostWorker = 3
    static let routeWorkers: [Int] = [0, 4, 8]
    static let deviatingWorker = 4

    public let seed: UInt64
    /// Customer sites then depots, ids `site-01`...`site-30`, `depot-north`, `depot-south`.
    public let sites: [Site]
    public let groups: [Group]
    public let workers: [Worker]
    public let routes: [Route]
    let plane: ScenarioPlane
    let carParks: [String: PlanePoint]

    /// The world for `seed` with `DemoFleet.defaultWorkers` workers.
    public init(seed: UInt64 = 1) {
        let plane = ScenarioPlane(originLatitude: 45.7600, originLongitude: 4.8400)
        var layout = ScenarioRandom(seed: seed, stream: 31)
        let (sites, carParks) = Self.makeSites(plane: plane, &layout)
        let groups = Self.makeGroups()
        var workers = (0..<Self.defaultWorkers).map { i in Self.makeWorker(i, groups: groups, seed: seed) }
        var routes: [Route] = []
        for (k, index) in Self.routeWorkers.enumerated() {
            let plan = Self.plan(worker: workers[index], sites: sites, groups: groups, carParks: carParks, seed: seed)
            let id = "route-\(k + 1)"
            routes.append(
                Route(
                    id: id, name: "\(workers[index].name)'s round", widthM: Self.routeWidthM, worker: index,
                    points: plan.planned, plane: plane))
            workers[index].route = id
        }
        self.seed = seed
        self.plane = plane
        self.sites = sites
        self.carParks = carParks
        self.groups = groups
        self.workers = workers
        self.routes = routes
    }

    public func site(_ id: String) -> Site? { sites.first { $0.id == id } }
    public func group(_ id: String) -> Group? { groups.first { $0.id == id } }

    /// Every site as a GeoJSON FeatureCollection (one feature per line), the `--fences` file form.
    public var fencesGeoJSON: String { DemoGeoJSON.collection(sites.map(\.feature)) }

    /// The routes as a `--routes` file: each assigned to its worker's device for `fromMs...toMs`.
    public func routesGeoJSON(fromMs: Int64, toMs: Int64) -> String {
        DemoGeoJSON.collection(
            routes.map { $0.fileFeature(device: workers[$0.worker].deviceID, fromMs: fromMs, toMs: toMs) })
    }
}

extension DemoFleet {
    /// The tracker protocol a worker's device speaks, assigned round-robin.
    public enum Wire: String, Sendable, Hashable, CaseIterable {
        case teltonika, jt808, gt06, nmea

        /// The device id the server stores for demo worker `index`: a 15-digit IMEI (`3530...`
        /// Teltonika, `8680...` GT06), a 12-digit JT/T 808 terminal phone number (`0139...`), a
        /// `$PGID` id for NMEA. Distinct from the load generator's ids.
        public func deviceID(index: Int) -> String {
            switch self {
            case .teltonika: "3530" + Self.digits(index, 11)
            case .gt06: "8680" + Self.digits(index, 11)
            case .jt808: "0139" + Self.digits(index, 8)
            case .nmea: "demo-nmea-" + Self.digits(index, 3)
            }
        }

        /// `value` in decimal, zero-padded to `width` digits.
        public static func digits(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
    }

    /// A customer site or a depot and its fence.
    public struct Site: Sendable {
        public var id: String
        public var name: String
        public var isDepot: Bool
        /// Where vehicles stop (inside the fence), degrees.
        public var latitude: Double
        public var longitude: Double
        /// One GeoJSON Feature: properties `id`, `name`, `kind` (`customer` or `depot`), and
        /// `radius_m` for a circle (Point); or a Polygon.
        public var feature: String
        let fence: ScenarioFence
        let spot: PlanePoint
    }

    /// A team with a shift schedule and a depot.
    public struct Group: Sendable, Hashable {
        public var id: String
        public var name: String
        /// IANA time zone name.
        public var timeZone: String
        /// The shift, local minutes of the day, Monday to Friday.
        public var shiftStartMinute: Int
        public var shiftEndMinute: Int
        public var depot: String
        /// The directory's `WeeklySchedule` JSON: the shift on `mon`...`fri`.
        public var shiftsJSON: String
    }

    /// A field worker and the tracker in their vehicle.
    public struct Worker: Sendable, Hashable {
        public var index: Int
        public var name: String
        public var group: String
        public var wire: Wire
        public var deviceID: String
        /// The planned route assigned to this worker's device, if any.
        public var route: String?
        /// Planned lateness at the depot, minutes after the shift start (nil: on time).
        public var lateMinutes: Double?
        public var leavesPost: Bool
        public var deviatesFromRoute: Bool
    }

    /// A planned route: the street path of its worker's day.
    public struct Route: Sendable {
        public var id: String
        public var name: String
        /// Full corridor width, metres.
        public var widthM: Double
        public var worker: Int
        /// A GeoJSON LineString Feature with properties `id`, `name`, `width_m` (no assignment:
        /// the directory's form).
        public var feature: String
        let points: [PlanePoint]
        let plane: ScenarioPlane

        init(id: String, name: String, widthM: Double, worker: Int, points: [PlanePoint], plane: ScenarioPlane) {
            self.id = id
            self.name = name
            self.widthM = widthM
            self.worker = worker
            self.points = points.map(plane.snapped)
            self.plane = plane
            feature = DemoGeoJSON.routeFeature(
                id: id, name: name, widthM: widthM, points: self.points, plane: plane, assignment: nil)
        }

        /// The feature with `device`, `from`, `to` (a routes file's form).
        public func fileFeature(device: String, fromMs: Int64, toMs: Int64) -> String {
            DemoGeoJSON.routeFeature(
                id: id, name: name, widthM: widthM, points: points, plane: plane,
                assignment: (device, fromMs, toMs))
        }
    }

    /// A stay at a site in the true track, ms UTC.
    public struct Visit: Sendable, Hashable {
        public var site: String
        public var arriveMs: Int64
        public var departMs: Int64
    }

    /// One worker's simulated day.
    public struct Day: Sendable {
        public var worker: Int
        /// In time order, device id set, source `.simulated`, every 5 s (60 s while parked).
        public var fixes: [Fix]
        /// The true stays at sites (depot included), in time order.
        public var visits: [Visit]
        /// Where the vehicle is parked at the end of the day, 1e-7 degree.
        public var parkedLatitudeE7: Int32
        public var parkedLongitudeE7: Int32
    }
}
