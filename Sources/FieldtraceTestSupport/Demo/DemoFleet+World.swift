import FieldtraceCore

/// The static part of the demo world: sites, depots, groups, workers.
extension DemoFleet {
    static let customerCount = 30
    /// Customer sites lie within this distance of the centre, metres: drives between
    /// neighbouring sites take a few minutes, so presence gaps stay under the attendance rules'
    /// 15-minute "left the post" threshold for everyone but the worker who really leaves.
    static let cityRadiusM = 3000.0
    static let siteSpacingM = 300.0

    static let kinds = [
        "Bakery", "Pharmacy", "School", "Clinic", "Office", "Hotel", "Supermarket", "Garage", "Library",
        "Residence", "Gym", "Restaurant", "Bank", "Care home", "Laundry",
    ]
    static let districts = [
        "Bellecour", "Croix-Rousse", "Part-Dieu", "Confluence", "Brotteaux", "Vaise", "Gerland", "Monplaisir",
        "Terreaux", "Guillotiere", "Fourviere", "Jean Mace", "Saxe", "Villette", "Perrache", "Ainay", "Charpennes",
    ]
    static let firstNames = [
        "Amelie", "Bruno", "Chloe", "David", "Emma", "Farid", "Gabrielle", "Hugo", "Ines", "Julien", "Karima", "Louis",
        "Manon", "Nicolas", "Oceane", "Paul", "Quentin", "Rose", "Samir", "Theo", "Ursule", "Victor", "Yasmine",
        "Zoe", "Lucas",
    ]
    static let lastNames = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
        "Laurent", "Lefebvre", "Michel", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont",
    ]

    /// 30 customer sites (half circles of 40-90 m radius, half irregular polygons of 45-110 m)
    /// at least 300 m apart, and two depots (polygons of 90-120 m) 2-2.5 km north-west and
    /// south-east of the centre, each with a car park 190 m south of its centre, outside it.
    static func makeSites(plane: ScenarioPlane, _ rng: inout ScenarioRandom) -> ([Site], [String: PlanePoint]) {
        let depotSpots: [(String, String, PlanePoint)] = [
            ("depot-north", "Depot Vaise", PlanePoint(east: -1800, north: 1400) + rng.unitVector() * 150),
            ("depot-south", "Depot Gerland", PlanePoint(east: 1900, north: -1500) + rng.unitVector() * 150),
        ]
        var points: [PlanePoint] = []
        var attempts = 0
        while points.count < customerCount, attempts < 100_000 {
            attempts += 1
            let p = rng.unitVector() * (rng.uniform() * cityRadiusM * cityRadiusM).squareRoot()
            guard points.allSatisfy({ $0.distance(to: p) > siteSpacingM }),
                depotSpots.allSatisfy({ $0.2.distance(to: p) > 500 })
            else { continue }
            points.append(p)
        }
        var sites: [Site] = []
        for (k, spot) in points.enumerated() {
            let id = "site-" + Wire.digits(k + 1, 2)
            let name = kinds[rng.int(0...(kinds.count - 1))] + " " + districts[rng.int(0...(districts.count - 1))]
            let fence: ScenarioFence
            if rng.chance(0.5) {
                let offset = rng.unitVector() * rng.uniform(0, 10)
                fence = .circle(id: id, center: spot + offset, radiusM: rng.uniform(40, 90), plane: plane)
            } else {
                let outer = ScenarioCatalog.blob(around: spot, corners: rng.int(5...7), radiusM: 45...110, &rng)
                fence = .polygon(id: id, outer: outer, plane: plane)
            }
            sites.append(site(id: id, name: name, isDepot: false, fence: fence, spot: spot, plane: plane))
        }
        var carParks: [String: PlanePoint] = [:]
        for (id, name, spot) in depotSpots {
            let outer = ScenarioCatalog.blob(around: spot, corners: 6, radiusM: 90...120, &rng)
            let fence = ScenarioFence.polygon(id: id, outer: outer, plane: plane)
            sites.append(site(id: id, name: name, isDepot: true, fence: fence, spot: spot, plane: plane))
            carParks[id] = spot + PlanePoint(east: 0, north: -190)
        }
        return (sites, carParks)
    }

    static func site(
        id: String, name: String, isDepot: Bool, fence: ScenarioFence, spot: PlanePoint, plane: ScenarioPlane
    ) -> Site {
        let (lat, lon) = plane.latitudeLongitude(spot)
        return Site(
            id: id, name: name, isDepot: isDepot, latitude: lat, longitude: lon,
            feature: DemoGeoJSON.siteFeature(fence, name: name, kind: isDepot ? "depot" : "customer", plane: plane),
            fence: fence, spot: spot)
    }

    /// Repair crew and sales 08:00-17:00, home-care nurses 07:00-15:00, Monday to Friday.
    static func makeGroups() -> [Group] {
        func group(_ id: String, _ name: String, _ start: Int, _ end: Int, _ depot: String) -> Group {
            let shift = #"[{"start":""# + clock(start) + #"","end":""# + clock(end) + #""}]"#
            let days = ["mon", "tue", "wed", "thu", "fri"].map { #"""# + $0 + #"":"# + shift }
            return Group(
                id: id, name: name, timeZone: timeZone, shiftStartMinute: start, shiftEndMinute: end, depot: depot,
                shiftsJSON: "{" + days.joined(separator: ",") + "}")
        }
        return [
            group("repair", "Repair crew", 480, 1020, "depot-north"),
            group("sales", "Sales", 480, 1020, "depot-south"),
            group("nurses", "Home-care nurses", 420, 900, "depot-north"),
        ]
    }

    static func clock(_ minutes: Int) -> String { Wire.digits(minutes / 60, 2) + ":" + Wire.digits(minutes % 60, 2) }

    /// Worker `i`: group `i % 3`, protocol `i % 4`, a name, and its special role if any.
    static func makeWorker(_ i: Int, groups: [Group], seed: UInt64) -> Worker {
        var rng = ScenarioRandom(seed: workerSeed(seed, i), stream: 3)
        let wire = Wire.allCases[i % Wire.allCases.count]
        let late = lateWorkers.contains(i) ? rng.uniform(15, 45) : nil
        let name = firstNames[i % firstNames.count] + " " + lastNames[(i * 7 + i / firstNames.count) % lastNames.count]
        return Worker(
            index: i, name: name, group: groups[i % groups.count].id, wire: wire, deviceID: wire.deviceID(index: i),
            route: nil, lateMinutes: late.map { ($0 * 10).rounded() / 10 }, leavesPost: i == leavesPostWorker,
            deviatesFromRoute: i == deviatingWorker)
    }

    static func workerSeed(_ seed: UInt64, _ i: Int) -> UInt64 { seed &* 1_000_003 &+ UInt64(i) &+ 0xD3_0000 }
}
