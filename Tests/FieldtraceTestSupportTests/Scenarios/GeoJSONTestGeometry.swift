import FieldtraceCore
import FieldtraceTestSupport
import Foundation

/// An independent reading of a scenario's GeoJSON (Foundation's parser, Core's tangent plane
/// around each feature), so truth checks do not reuse the generator's own geometry.
struct TestFeature {
    var id: String
    var properties: [String: Any]
    var plane: LocalTangentPlane
    /// Point: one position; LineString: one line; Polygon: rings. In metres of `plane`.
    var kind: String
    var lines: [[(Double, Double)]]

    func local(_ latitude: Double, _ longitude: Double) -> (Double, Double) {
        let p = plane.project(latitude: latitude, longitude: longitude)
        return (p.eastM, p.northM)
    }

    static func segmentDistance(_ p: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let l2 = dx * dx + dy * dy
        let t = l2 == 0 ? 0 : max(0, min(1, ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2))
        let (ex, ey) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1)
        return (ex * ex + ey * ey).squareRoot()
    }

    func lineDistance(_ latitude: Double, _ longitude: Double) -> Double {
        let p = local(latitude, longitude)
        var best = Double.infinity
        for line in lines {
            for i in 1..<line.count { best = min(best, Self.segmentDistance(p, line[i - 1], line[i])) }
        }
        return best
    }

    func contains(_ latitude: Double, _ longitude: Double) -> Bool {
        let p = local(latitude, longitude)
        switch kind {
        case "Point":
            let r = (properties["radius_m"] as! NSNumber).doubleValue
            return ((p.0 - lines[0][0].0) * (p.0 - lines[0][0].0) + (p.1 - lines[0][0].1) * (p.1 - lines[0][0].1))
                .squareRoot() <= r
        case "LineString":
            return lineDistance(latitude, longitude) <= (properties["width_m"] as! NSNumber).doubleValue / 2
        default:
            var inside = false
            for ring in lines {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let (a, b) = (ring[i], ring[j])
                    if (a.1 > p.1) != (b.1 > p.1), p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
                        inside.toggle()
                    }
                    j = i
                }
            }
            return inside
        }
    }

    /// Reads a FeatureCollection; `nil` when it is not one.
    static func read(_ text: String) -> [TestFeature]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            object["type"] as? String == "FeatureCollection", let features = object["features"] as? [[String: Any]]
        else { return nil }
        var out: [TestFeature] = []
        for feature in features {
            guard let properties = feature["properties"] as? [String: Any], let id = properties["id"] as? String,
                let geometry = feature["geometry"] as? [String: Any], let kind = geometry["type"] as? String
            else { return nil }
            func position(_ any: Any) -> (Double, Double)? {
                guard let pair = any as? [NSNumber], pair.count == 2 else { return nil }
                return (pair[1].doubleValue, pair[0].doubleValue)  // (lat, lon)
            }
            var degrees: [[(Double, Double)]]
            switch kind {
            case "Point":
                guard let p = geometry["coordinates"].flatMap(position) else { return nil }
                degrees = [[p]]
            case "LineString":
                guard let line = (geometry["coordinates"] as? [Any])?.compactMap(position) else { return nil }
                degrees = [line]
            case "Polygon":
                guard let rings = geometry["coordinates"] as? [[Any]] else { return nil }
                degrees = rings.map { $0.compactMap(position) }
            default:
                return nil
            }
            let plane = LocalTangentPlane(originLatitude: degrees[0][0].0, originLongitude: degrees[0][0].1)
            let lines = degrees.map { line in
                line.map { p -> (Double, Double) in
                    let m = plane.project(latitude: p.0, longitude: p.1)
                    return (m.eastM, m.northM)
                }
            }
            out.append(TestFeature(id: id, properties: properties, plane: plane, kind: kind, lines: lines))
        }
        return out
    }
}
