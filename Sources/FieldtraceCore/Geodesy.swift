/// Distances and bearings on the WGS-84 mean sphere.
///
/// A sphere of the IUGG mean radius is within 0.5% of the ellipsoid everywhere, far below GPS
/// noise at the scales the analytics work on (metres to a few hundred kilometres).
public enum Geodesy {
    /// IUGG mean Earth radius, metres.
    public static let earthRadiusM = 6_371_008.8

    /// Great-circle distance in metres between two points given in degrees (haversine), O(1).
    @inlinable
    public static func haversineMeters(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let toRad = Double.pi / 180
        let dLat = (lat2 - lat1) * toRad
        let dLon = (lon2 - lon1) * toRad
        let s1 = sin2(dLat / 2)
        let s2 = sin2(dLon / 2)
        let a = s1 + cosine(lat1 * toRad) * cosine(lat2 * toRad) * s2
        return 2 * earthRadiusM * arcsine(min(1, a.squareRoot()))
    }

    /// Distance in metres between two fixes.
    @inlinable
    public static func distanceMeters(_ a: Fix, _ b: Fix) -> Double {
        haversineMeters(lat1: a.latitude, lon1: a.longitude, lat2: b.latitude, lon2: b.longitude)
    }

    @inlinable static func sin2(_ x: Double) -> Double {
        let s = sine(x)
        return s * s
    }
}

/// A local tangent plane (east, north in metres) around an origin: an equirectangular
/// projection, accurate to about 0.1% within 50 km of the origin, which is the scale of one
/// stop, fence or Kalman step. Longitudes are unwrapped across the antimeridian.
public struct LocalTangentPlane: Sendable, Hashable {
    public let originLatitude: Double
    public let originLongitude: Double
    /// Metres per degree of latitude and of longitude at the origin.
    public let metersPerDegreeLatitude: Double
    public let metersPerDegreeLongitude: Double

    public init(originLatitude: Double, originLongitude: Double) {
        self.originLatitude = originLatitude
        self.originLongitude = originLongitude
        let perDegree = Geodesy.earthRadiusM * Double.pi / 180
        metersPerDegreeLatitude = perDegree
        metersPerDegreeLongitude = perDegree * cosine(originLatitude * Double.pi / 180)
    }

    /// East and north offsets in metres of a point given in degrees.
    @inlinable
    public func project(latitude: Double, longitude: Double) -> (eastM: Double, northM: Double) {
        var dLon = longitude - originLongitude
        if dLon > 180 { dLon -= 360 } else if dLon < -180 { dLon += 360 }
        return (dLon * metersPerDegreeLongitude, (latitude - originLatitude) * metersPerDegreeLatitude)
    }

    /// The point in degrees at east/north offsets in metres; longitude normalised to -180...180.
    @inlinable
    public func unproject(eastM: Double, northM: Double) -> (latitude: Double, longitude: Double) {
        var lon = originLongitude + eastM / metersPerDegreeLongitude
        if lon > 180 { lon -= 360 } else if lon < -180 { lon += 360 }
        return (originLatitude + northM / metersPerDegreeLatitude, lon)
    }
}
