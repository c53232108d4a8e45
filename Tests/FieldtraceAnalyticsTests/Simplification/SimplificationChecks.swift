import FieldtraceCore
import FieldtraceTestSupport
import Foundation

/// Brute-force checks of a simplification, independent of the implementation: they never use
/// `ProjectedTrack` or the simplifiers' distance code.
/// - Time-aware (SED): the position interpolated at the dropped fix's time is computed in degrees
///   (longitudes unwrapped relative to the segment start, so the antimeridian is crossed the short
///   way), and the distance is the haversine distance in metres. When the two kept fixes have the
///   same time the reference is their midpoint (the documented convention).
/// - Douglas-Peucker: the distance to the kept segment, computed in Core's `LocalTangentPlane` at
///   the track's first fix (a segment is a straight line only in a plane; the simplifier's plane
///   never measures shorter than this one, see `ProjectedTrack`).
enum SimplificationChecks {
    /// A structural problem of `kept` for a track of `count` points, or nil.
    static func structuralProblem(_ kept: [Int], count: Int) -> String? {
        if count == 0 { return kept.isEmpty ? nil : "kept \(kept) of an empty track" }
        guard kept.first == 0 else { return "first index is \(String(describing: kept.first)), not 0" }
        guard kept.last == count - 1 else { return "last index is \(String(describing: kept.last)), not \(count - 1)" }
        for (a, b) in zip(kept, kept.dropFirst()) where b <= a { return "indices not increasing: \(a), \(b)" }
        return nil
    }

    /// The largest SED (haversine metres) of a dropped fix, and its index (-1 if none).
    static func maxSynchronizedErrorMeters(_ fixes: [Fix], kept: [Int]) -> (meters: Double, index: Int) {
        var worst = (meters: 0.0, index: -1)
        for (a, b) in zip(kept, kept.dropFirst()) where b > a + 1 {
            let fa = fixes[a]
            let fb = fixes[b]
            let span = Double(fb.timeMs - fa.timeMs)
            let lonB = fa.longitude + wrapped(fb.longitude - fa.longitude)
            for i in (a + 1)..<b {
                let f = span > 0 ? Double(fixes[i].timeMs - fa.timeMs) / span : 0.5
                let lat = fa.latitude + (fb.latitude - fa.latitude) * f
                let lon = fa.longitude + (lonB - fa.longitude) * f
                let d = Geodesy.haversineMeters(lat1: lat, lon1: lon, lat2: fixes[i].latitude, lon2: fixes[i].longitude)
                if d > worst.meters { worst = (d, i) }
            }
        }
        return worst
    }

    /// The largest distance (metres, in the plane at the first fix) of a dropped fix to its kept
    /// segment, and its index (-1 if none).
    static func maxSegmentErrorMeters(_ fixes: [Fix], kept: [Int]) -> (meters: Double, index: Int) {
        guard let origin = fixes.first else { return (0, -1) }
        let plane = LocalTangentPlane(originLatitude: origin.latitude, originLongitude: origin.longitude)
        let points = fixes.map { plane.project(latitude: $0.latitude, longitude: $0.longitude) }
        var worst = (meters: 0.0, index: -1)
        for (a, b) in zip(kept, kept.dropFirst()) where b > a + 1 {
            let (ax, ay) = points[a]
            let (bx, by) = points[b]
            for i in (a + 1)..<b {
                let d = segmentDistance(px: points[i].eastM, py: points[i].northM, ax: ax, ay: ay, bx: bx, by: by)
                if d > worst.meters { worst = (d, i) }
            }
        }
        return worst
    }

    /// Distance from P to the segment AB: to the foot of the perpendicular if it falls on the
    /// segment, else to the nearer end.
    static func segmentDistance(px: Double, py: Double, ax: Double, ay: Double, bx: Double, by: Double) -> Double {
        let dx = bx - ax
        let dy = by - ay
        let length2 = dx * dx + dy * dy
        let toA = hypot(px - ax, py - ay)
        guard length2 > 0 else { return toA }
        let t = ((px - ax) * dx + (py - ay) * dy) / length2
        if t <= 0 { return toA }
        if t >= 1 { return hypot(px - bx, py - by) }
        return abs((px - ax) * dy - (py - ay) * dx) / length2.squareRoot()
    }

    static func wrapped(_ degrees: Double) -> Double {
        degrees > 180 ? degrees - 360 : degrees < -180 ? degrees + 360 : degrees
    }
}

/// Seeded random tracks made to break simplifiers: random walks, stops with jitter, zig-zags,
/// duplicate fixes, duplicate times, zero-length steps, huge jumps, tracks near the equator, the
/// high latitudes and the antimeridian.
struct RandomTrack {
    var rng: SeededRandom
    var latitude: Double
    var longitude: Double
    var timeMs: Int64
    var fixes: [Fix] = []

    init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
        latitude = 0
        longitude = 0
        timeMs = 1_764_374_400_000
        switch rng.next() % 5 {
        case 0:  // on the equator: crosses it, and jumps between hemispheres
            latitude = uniform(-0.001, 0.001)
            longitude = uniform(-179, 179)
        case 1:  // on the antimeridian
            latitude = uniform(-75, 75)
            longitude = 179.9995
        default:
            latitude = uniform(-75, 75)
            longitude = uniform(-179, 179)
        }
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(rng.next() >> 11) / Double(1 << 53)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }

    mutating func emit() {
        fixes.append(
            Fix(
                device: DeviceID("r")!, timeMs: timeMs, latitudeE7: CoordinateE7.fromDegrees(latitude),
                longitudeE7: CoordinateE7.fromDegrees(longitude)))
    }

    mutating func move(eastM: Double, northM: Double, ms: Int64) {
        latitude = min(78, max(-78, latitude + northM / 111_195))
        longitude = SimplificationChecks.wrapped(longitude + eastM / (111_195 * cos(latitude * .pi / 180)))
        timeMs += ms
    }

    /// A track of up to `maxPoints` fixes built from random pieces.
    static func make(seed: UInt64, maxPoints: Int = 300) -> [Fix] {
        var t = RandomTrack(seed: seed)
        let target = t.rng.next() % 8 == 0 ? t.int(0...4) : t.int(2...maxPoints)
        while t.fixes.count < target {
            let length = t.int(1...40)
            let kind = t.int(0...9)
            let amplitude = t.uniform(0, 60)
            let speed = t.uniform(0, 35)
            var heading = t.uniform(0, 2 * .pi)
            for step in 0..<length where t.fixes.count < target {
                switch kind {
                case 0, 1:  // random walk
                    heading += t.uniform(-0.6, 0.6)
                    let ms = Int64(t.int(1...10)) * 1000
                    t.move(eastM: sin(heading) * speed, northM: cos(heading) * speed, ms: ms)
                case 2:  // stop with jitter around the current point (no drift: jitter is undone)
                    let (e, n) = (t.uniform(-amplitude / 6, amplitude / 6), t.uniform(-amplitude / 6, amplitude / 6))
                    t.move(eastM: e, northM: n, ms: 1000)
                    t.emit()
                    t.move(eastM: -e, northM: -n, ms: 0)
                    continue
                case 3:  // zig-zag across the heading
                    let side = step % 2 == 0 ? amplitude : -amplitude
                    t.move(
                        eastM: sin(heading) * speed + cos(heading) * side,
                        northM: cos(heading) * speed - sin(heading) * side, ms: 1000)
                case 4:  // duplicate fix
                    if let last = t.fixes.last {
                        t.fixes.append(last)
                        continue
                    }
                case 5:  // duplicate time, new position
                    t.move(eastM: t.uniform(-20, 20), northM: t.uniform(-20, 20), ms: 0)
                case 6:  // zero-length step
                    t.move(eastM: 0, northM: 0, ms: Int64(t.int(1...5_000)))
                case 7:  // huge jump
                    t.move(eastM: t.uniform(-150_000, 150_000), northM: t.uniform(-150_000, 150_000), ms: 1000)
                case 8:  // constant velocity (collinear, evenly timed: everything droppable)
                    t.move(eastM: sin(heading) * speed, northM: cos(heading) * speed, ms: 1000)
                default:  // millisecond steps
                    t.move(eastM: t.uniform(-2, 2), northM: t.uniform(-2, 2), ms: Int64(t.int(1...3)))
                }
                t.emit()
            }
        }
        return t.fixes
    }
}
