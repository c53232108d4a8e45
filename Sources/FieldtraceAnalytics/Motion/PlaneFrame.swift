import FieldtraceCore

/// A local east/north frame in metres for one device's recent fixes, re-centred when the
/// device has moved far from its origin.
///
/// The equirectangular projection of `LocalTangentPlane` is accurate to about 0.1% within
/// 50 km of the origin; `rebaseDistanceMeters` keeps every position the detectors compare
/// well inside that. Projecting a fix is two subtractions and two multiplications, no trigonometry.
struct PlaneFrame: Sendable {
    /// Distance from the origin past which `rebaseIfFar` moves the origin, metres.
    static let rebaseDistanceMeters = 20_000.0

    private(set) var plane = LocalTangentPlane(originLatitude: 0, originLongitude: 0)
    private(set) var isSet = false

    /// East and north of a fix in metres.
    @inline(__always)
    func project(_ fix: Fix) -> (east: Double, north: Double) {
        let p = plane.project(latitude: fix.latitude, longitude: fix.longitude)
        return (p.eastM, p.northM)
    }

    /// Sets the origin at the fix when none is set or when the fix is far from the current
    /// one; returns whether the origin moved (positions projected before are then stale).
    @discardableResult
    mutating func rebaseIfFar(_ fix: Fix) -> Bool {
        if isSet {
            let p = project(fix)
            if abs(p.east) < Self.rebaseDistanceMeters && abs(p.north) < Self.rebaseDistanceMeters { return false }
        }
        plane = LocalTangentPlane(originLatitude: fix.latitude, originLongitude: fix.longitude)
        isSet = true
        return true
    }

    /// The E7 coordinates of a point of the frame.
    func coordinate(east: Double, north: Double) -> (latitudeE7: Int32, longitudeE7: Int32) {
        let p = plane.unproject(eastM: east, northM: north)
        return (CoordinateE7.fromDegrees(p.latitude), CoordinateE7.fromDegrees(p.longitude))
    }
}

/// A position and time in a `PlaneFrame`.
struct PlaneSample: Sendable {
    var timeMs: Int64
    var east: Double
    var north: Double

    @inline(__always)
    func distance(toEast east: Double, north: Double) -> Double {
        let de = self.east - east
        let dn = self.north - north
        return (de * de + dn * dn).squareRoot()
    }
}

/// The median of a scratch buffer (reordered in place), O(n log n); 0 for an empty buffer.
func medianInPlace(_ values: inout [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    values.sort()
    let mid = values.count / 2
    return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
}
