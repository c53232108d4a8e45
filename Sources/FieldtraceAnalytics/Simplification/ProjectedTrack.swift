import FieldtraceCore

/// A track projected once into a local plane, as flat columns: east and north in metres from the
/// first point, time in milliseconds from the first point. The batch simplifiers work on these
/// columns only (squared distances on `Double`s, no per-point allocation); `load` reuses the
/// columns' storage, so one `ProjectedTrack` serves any number of tracks.
///
/// ## Projection and why the error guarantee survives it
/// Equirectangular: north = Δlatitude × R, east = Δlongitude × R × cos φ₀ (R the IUGG mean radius,
/// longitudes unwrapped across the antimeridian relative to the first point). The east scale is
/// taken at φ₀, **the latitude of the track closest to the equator** (0 if the track crosses it),
/// not at the first point, so that:
/// - the north scale is exact and the east scale is never *smaller* than the true one anywhere on
///   the track (cos φ₀ ≥ cos φ for every φ of the track): a planar distance between two nearby points
///   is never shorter than their great-circle (haversine) distance, up to a relative 1e-13 for
///   distances under 100 m (the sphere's curvature, absorbed by `SimplificationGuard`);
/// - the plane is an affine image of (latitude, longitude), so interpolating at a time in the plane is
///   interpolating in degrees: the synchronized Euclidean distance measured here is the haversine
///   distance to the position interpolated in degrees, overestimated, never underestimated.
///
/// The price of the overestimate is a few more kept points, never a larger error: the factor is
/// cos φ₀ / cos φ ≈ 1 + tan φ · Δφ, 0.09% for a track spanning 10 km of latitude at 45°, and only
/// large for tracks spanning thousands of kilometres (where every simplifier keeps their jumps).
/// For Douglas-Peucker (a distance to a segment, which on a sphere is not a straight line) the
/// guarantee is stated in this plane: a planar distance here is never shorter than in Core's
/// `LocalTangentPlane` placed at any point of the track.
public struct ProjectedTrack: Sendable {
    /// East offsets from the first point, metres.
    public private(set) var eastM: [Double] = []
    /// North offsets from the first point, metres.
    public private(set) var northM: [Double] = []
    /// Times from the first point's time, milliseconds (exact: every Int64 difference up to 2⁵³ ms).
    public private(set) var timeMs: [Double] = []
    /// Latitude, degrees, whose east scale the plane uses (the track's latitude closest to the equator).
    public private(set) var scaleLatitude: Double = 0

    public init() {}

    /// Points in the track.
    public var count: Int { eastM.count }

    /// Projects fixes (in time order for the time-aware simplifiers). O(n), no allocation once the
    /// columns have grown to `fixes.count`.
    public mutating func load(_ fixes: [Fix]) {
        fixes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return clear() }
            // Read the three fields in place: `base[i].latitudeE7` may copy the whole fix (and retain
            // its device id), which measured at 10 ns per fix, more than the simplification itself.
            let raw = UnsafeRawPointer(base)
            let stride = MemoryLayout<Fix>.stride
            let lat = MemoryLayout<Fix>.offset(of: \.latitudeE7)!
            let lon = MemoryLayout<Fix>.offset(of: \.longitudeE7)!
            let time = MemoryLayout<Fix>.offset(of: \.timeMs)!
            load(
                count: buffer.count, latitudeE7: { raw.load(fromByteOffset: $0 &* stride &+ lat, as: Int32.self) },
                longitudeE7: { raw.load(fromByteOffset: $0 &* stride &+ lon, as: Int32.self) },
                timeMs: { raw.load(fromByteOffset: $0 &* stride &+ time, as: Int64.self) })
        }
    }

    /// Projects raw columns, as a decoded segment or an API buffer holds them, without copying them
    /// into fixes. `timeMs` may be `nil` for Douglas-Peucker, which ignores time (times read as 0).
    public mutating func load(
        latitudeE7: UnsafeBufferPointer<Int32>, longitudeE7: UnsafeBufferPointer<Int32>,
        timeMs: UnsafeBufferPointer<Int64>? = nil
    ) {
        precondition(latitudeE7.count == longitudeE7.count, "latitude and longitude columns differ in length")
        precondition(timeMs.map { $0.count == latitudeE7.count } ?? true, "time column differs in length")
        let n = latitudeE7.count
        guard n > 0, let lat = latitudeE7.baseAddress, let lon = longitudeE7.baseAddress else {
            return clear()
        }
        if let time = timeMs?.baseAddress {
            load(count: n, latitudeE7: { lat[$0] }, longitudeE7: { lon[$0] }, timeMs: { time[$0] })
        } else {
            load(count: n, latitudeE7: { lat[$0] }, longitudeE7: { lon[$0] }, timeMs: { _ in 0 })
        }
    }

    private mutating func clear() {
        eastM.removeAll(keepingCapacity: true)
        northM.removeAll(keepingCapacity: true)
        timeMs.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func load(
        count n: Int, latitudeE7: (Int) -> Int32, longitudeE7: (Int) -> Int32, timeMs: (Int) -> Int64
    ) {
        guard n > 0 else { return clear() }
        Self.resize(&eastM, to: n)
        Self.resize(&northM, to: n)
        Self.resize(&self.timeMs, to: n)
        var minLat = latitudeE7(0)
        var maxLat = minLat
        eastM.withUnsafeMutableBufferPointer { east in
            northM.withUnsafeMutableBufferPointer { north in
                self.timeMs.withUnsafeMutableBufferPointer { time in
                    // Pass 1, the only one over the input: exact integer offsets from the first point,
                    // and the latitude range. Reading the input once matters: fixes are 100+ bytes
                    // apart, so this pass is bound by memory, not arithmetic.
                    let lat0 = Int64(minLat)
                    let lon0 = Int64(longitudeE7(0))
                    let t0 = timeMs(0)
                    for i in 0..<n {
                        let lat = latitudeE7(i)
                        minLat = min(minLat, lat)
                        maxLat = max(maxLat, lat)
                        var dLon = Int64(longitudeE7(i)) - lon0
                        if dLon > 1_800_000_000 {
                            dLon -= 3_600_000_000
                        } else if dLon < -1_800_000_000 {
                            dLon += 3_600_000_000
                        }
                        east[i] = Double(dLon)
                        north[i] = Double(Int64(lat) - lat0)
                        time[i] = Double(timeMs(i) &- t0)
                    }
                }
                // Pass 2, over the columns (in cache): scale 1e-7 degree to metres, the east scale at
                // the latitude closest to the equator (0 when the track crosses it).
                let scaleLatE7: Int32 = minLat > 0 ? minLat : maxLat < 0 ? maxLat : 0
                scaleLatitude = Double(scaleLatE7) / 1e7
                let plane = LocalTangentPlane(originLatitude: scaleLatitude, originLongitude: 0)
                let eastPerE7 = plane.metersPerDegreeLongitude / 1e7
                let northPerE7 = plane.metersPerDegreeLatitude / 1e7
                for i in 0..<n {
                    east[i] *= eastPerE7
                    north[i] *= northPerE7
                }
            }
        }
    }

    private static func resize(_ column: inout [Double], to n: Int) {
        if column.count > n {
            column.removeLast(column.count - n)
        } else if column.count < n {
            column.append(contentsOf: repeatElement(0, count: n - column.count))
        }
    }
}

/// The margin every simplifier keeps below the tolerance so that rounding can never push a kept
/// error over it: distances are compared with `toleranceMeters × (1 − 1e-9) − 1 µm`. Rounding in
/// the plane is about 1e-16 of the coordinates' magnitude (1e-10 m for a track 1,000 km across);
/// the haversine/plane difference for distances under 100 m is below 1e-13 relative; a haversine
/// check in degrees itself rounds at about 2e-9 m. One part in a billion plus a micrometre covers
/// all of them and changes no realistic result (coordinates have a 1 cm resolution). A tolerance
/// under 1 µm keeps every point.
enum SimplificationGuard {
    static let relativeMargin = 1e-9
    static let absoluteMarginM = 1e-6

    /// The distance a dropped point may have, metres; negative (nothing may be dropped) when the
    /// tolerance is under the margin.
    @inline(__always)
    static func limitMeters(toleranceMeters: Double) -> Double {
        precondition(toleranceMeters >= 0 && toleranceMeters.isFinite, "tolerance must be finite and >= 0")
        return toleranceMeters * (1 - relativeMargin) - absoluteMarginM
    }

    /// The squared distance a dropped point may have, metres²; -1 when nothing may be dropped.
    @inline(__always)
    static func squaredLimit(toleranceMeters: Double) -> Double {
        let limit = limitMeters(toleranceMeters: toleranceMeters)
        return limit < 0 ? -1 : limit * limit
    }
}
