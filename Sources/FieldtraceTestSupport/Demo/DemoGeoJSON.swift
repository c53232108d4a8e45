import FieldtraceCore

/// GeoJSON text of the demo world: one Feature per site or route, properties in a fixed order,
/// coordinates written exactly from their 1e-7 degree integers (as `ScenarioGeoJSON`).
enum DemoGeoJSON {
    /// A site's fence: `id`, `name`, `kind`, and `radius_m` for a circle.
    static func siteFeature(_ fence: ScenarioFence, name: String, kind: String, plane: ScenarioPlane) -> String {
        var out = head(id: fence.id, name: name)
        out.append(contentsOf: #","kind":""#.utf8)
        JSONText.appendEscaped(kind, to: &out)
        out.append(UInt8(ascii: "\""))
        switch fence.shape {
        case .circle(let center, let radius):
            JSONText.appendNumber(key: "radius_m", radius, to: &out)
            out.append(contentsOf: #"},"geometry":{"type":"Point","coordinates":"#.utf8)
            ScenarioGeoJSON.appendPosition(center, plane, &out)
        case .polygon(let rings):
            out.append(contentsOf: #"},"geometry":{"type":"Polygon","coordinates":["#.utf8)
            for (i, ring) in rings.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                ScenarioGeoJSON.appendLine(ring, plane, &out)
            }
            out.append(UInt8(ascii: "]"))
        case .corridor(let line, let width):
            JSONText.appendNumber(key: "width_m", width, to: &out)
            out.append(contentsOf: #"},"geometry":{"type":"LineString","coordinates":"#.utf8)
            ScenarioGeoJSON.appendLine(line.points, plane, &out)
        }
        out.append(contentsOf: "}}".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// A planned route: `id`, `name`, `width_m`, and with an assignment `device`, `from`, `to`.
    static func routeFeature(
        id: String, name: String, widthM: Double, points: [PlanePoint], plane: ScenarioPlane,
        assignment: (device: String, fromMs: Int64, toMs: Int64)?
    ) -> String {
        var out = head(id: id, name: name)
        JSONText.appendNumber(key: "width_m", widthM, to: &out)
        if let assignment {
            out.append(contentsOf: #","device":""#.utf8)
            JSONText.appendEscaped(assignment.device, to: &out)
            out.append(contentsOf: #"","from":""#.utf8)
            ISO8601.append(ms: assignment.fromMs, to: &out)
            out.append(contentsOf: #"","to":""#.utf8)
            ISO8601.append(ms: assignment.toMs, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: #"},"geometry":{"type":"LineString","coordinates":"#.utf8)
        ScenarioGeoJSON.appendLine(points, plane, &out)
        out.append(contentsOf: "}}".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// A FeatureCollection, one feature per line.
    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    private static func head(id: String, name: String) -> [UInt8] {
        var out = Array(#"{"type":"Feature","properties":{"id":""#.utf8)
        JSONText.appendEscaped(id, to: &out)
        out.append(contentsOf: #"","name":""#.utf8)
        JSONText.appendEscaped(name, to: &out)
        out.append(UInt8(ascii: "\""))
        return out
    }
}
