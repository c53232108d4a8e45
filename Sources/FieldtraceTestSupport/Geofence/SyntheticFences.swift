import FieldtraceCore

/// A seeded set of mixed fences over a city-sized square, as GeoJSON text, and lookup points
/// over the same square: the data of the geofence index tests, benchmark and Python peer
/// (`scripts/peers/fences.py` ports this generator step for step, so both sides see the same
/// fences and points).
///
/// Mix: 40% circles (radius 30-300 m), 40% star-shaped polygons (5-50 vertices, radius
/// 50-400 m, one in ten with a hole), 20% corridors (2-8 vertices, legs 100-400 m, width
/// 20-60 m), centres uniform in a square of `sideM` metres around Shanghai's centre. With the
/// default side (40 km) 20,000 fences cover the square about once: a dense worst case.
public enum SyntheticFences {
    public static let originLatitude = 31.2304
    public static let originLongitude = 121.4737
    static let metersPerDegree = 6_371_008.8 * Double.pi / 180

    struct Generator {
        var rng: SeededRandom
        mutating func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
    }

    /// Degrees from metres east/north of the origin, rounded to 1e-7 degree.
    static func position(_ east: Double, _ north: Double) -> (Int64, Int64) {
        let lat = originLatitude + north / metersPerDegree
        let lon = originLongitude + east / (metersPerDegree * cos(originLatitude * Double.pi / 180))
        return ((lat * 1e7 + 0.5).rounded(.down).toInt64, (lon * 1e7 + 0.5).rounded(.down).toInt64)
    }

    static func appendPosition(_ east: Double, _ north: Double, to out: inout String) {
        let (lat, lon) = position(east, north)
        out += "[" + CoordinateE7.decimalString(Int32(lon)) + "," + CoordinateE7.decimalString(Int32(lat)) + "]"
    }

    /// The fences as a GeoJSON FeatureCollection (ids `f0`, `f1`, ...).
    public static func geoJSON(count: Int, seed: UInt64, sideM: Double = 40_000) -> String {
        var g = Generator(rng: SeededRandom(seed: seed))
        var out = #"{"type":"FeatureCollection","features":["#
        for i in 0..<count {
            if i > 0 { out += "," }
            out += #"{"type":"Feature","id":"f\#(i)","geometry":{"type":""#
            let cx = (g.uniform() - 0.5) * sideM
            let cy = (g.uniform() - 0.5) * sideM
            let kind = g.uniform()
            if kind < 0.4 {
                let radius = (30 + g.uniform() * 270).rounded()
                out += #"Point","coordinates":"#
                appendPosition(cx, cy, to: &out)
                out += #"},"properties":{"radius_m":\#(Int(radius))}}"#
            } else if kind < 0.8 {
                let n = 5 + Int(g.uniform() * 46)
                let radius = 50 + g.uniform() * 350
                let hole = g.uniform() < 0.1
                out += #"Polygon","coordinates":[["#
                var first = ""
                for k in 0..<n {
                    let angle = (Double(k) + g.uniform() * 0.8) * 2 * Double.pi / Double(n)
                    let r = radius * (0.6 + 0.4 * g.uniform())
                    var p = ""
                    appendPosition(cx + r * cos(angle), cy + r * sin(angle), to: &p)
                    if k == 0 { first = p } else { out += "," }
                    out += p
                }
                out += "," + first + "]"
                if hole {
                    let h = radius * 0.2
                    out += ",["
                    for (k, (dx, dy)) in [(-h, -h), (-h, h), (h, h), (h, -h), (-h, -h)].enumerated() {
                        if k > 0 { out += "," }
                        appendPosition(cx + dx, cy + dy, to: &out)
                    }
                    out += "]"
                }
                out += #"]},"properties":{}}"#
            } else {
                let n = 2 + Int(g.uniform() * 7)
                let width = (20 + g.uniform() * 40).rounded()
                var heading = g.uniform() * 2 * Double.pi
                var x = cx
                var y = cy
                out += #"LineString","coordinates":["#
                for k in 0..<n {
                    if k > 0 {
                        out += ","
                        let leg = 100 + g.uniform() * 300
                        heading += (g.uniform() - 0.5) * Double.pi / 2
                        x += leg * cos(heading)
                        y += leg * sin(heading)
                    }
                    appendPosition(x, y, to: &out)
                }
                out += #"]},"properties":{"width_m":\#(Int(width))}}"#
            }
        }
        out += "]}"
        return out
    }

    /// Lookup points uniform over the same square, as (latitudeE7, longitudeE7).
    public static func points(count: Int, seed: UInt64, sideM: Double = 40_000) -> [(
        latitudeE7: Int32, longitudeE7: Int32
    )] {
        var g = Generator(rng: SeededRandom(seed: seed))
        return (0..<count).map { _ in
            let east = (g.uniform() - 0.5) * sideM
            let north = (g.uniform() - 0.5) * sideM
            let (lat, lon) = position(east, north)
            return (Int32(lat), Int32(lon))
        }
    }
}

extension Double {
    fileprivate var toInt64: Int64 { Int64(self) }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
