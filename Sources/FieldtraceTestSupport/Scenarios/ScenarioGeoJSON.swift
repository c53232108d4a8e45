import FieldtraceCore

/// GeoJSON text for a scenario's fences and routes: one feature per line, properties in a fixed
/// order, coordinates `[lon, lat]` written exactly from their 1e-7 degree integers.
enum ScenarioGeoJSON {
    static func fences(_ fences: [ScenarioFence], plane: ScenarioPlane) -> String {
        collection(
            fences.map { fence in
                var out: [UInt8] = []
                out.append(contentsOf: #"{"type":"Feature","properties":{"id":""#.utf8)
                JSONText.appendEscaped(fence.id, to: &out)
                out.append(UInt8(ascii: "\""))
                switch fence.shape {
                case .circle(let center, let radius):
                    JSONText.appendNumber(key: "radius_m", radius, to: &out)
                    out.append(contentsOf: #"},"geometry":{"type":"Point","coordinates":"#.utf8)
                    appendPosition(center, plane, &out)
                case .polygon(let rings):
                    out.append(contentsOf: #"},"geometry":{"type":"Polygon","coordinates":["#.utf8)
                    for (i, ring) in rings.enumerated() {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        appendLine(ring, plane, &out)
                    }
                    out.append(UInt8(ascii: "]"))
                case .corridor(let line, let width):
                    JSONText.appendNumber(key: "width_m", width, to: &out)
                    out.append(contentsOf: #"},"geometry":{"type":"LineString","coordinates":"#.utf8)
                    appendLine(line.points, plane, &out)
                }
                out.append(contentsOf: "}}".utf8)
                return out
            })
    }

    static func routes(_ routes: [ScenarioRoute], device: DeviceID, plane: ScenarioPlane) -> String {
        collection(
            routes.map { route in
                var out: [UInt8] = []
                out.append(contentsOf: #"{"type":"Feature","properties":{"id":""#.utf8)
                JSONText.appendEscaped(route.id, to: &out)
                out.append(UInt8(ascii: "\""))
                JSONText.appendNumber(key: "width_m", route.widthM, to: &out)
                out.append(contentsOf: #","device":""#.utf8)
                JSONText.appendEscaped(device.rawValue, to: &out)
                out.append(contentsOf: #"","from":""#.utf8)
                ISO8601.append(ms: route.fromMs, to: &out)
                out.append(contentsOf: #"","to":""#.utf8)
                ISO8601.append(ms: route.toMs, to: &out)
                out.append(contentsOf: #""},"geometry":{"type":"LineString","coordinates":"#.utf8)
                appendLine(route.line.points, plane, &out)
                out.append(contentsOf: "}}".utf8)
                return out
            })
    }

    private static func collection(_ features: [[UInt8]]) -> String {
        var out = Array(#"{"type":"FeatureCollection","features":["#.utf8)
        for (i, feature) in features.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
            out.append(contentsOf: feature)
        }
        out.append(contentsOf: "\n]}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendPosition(_ p: PlanePoint, _ plane: ScenarioPlane, _ out: inout [UInt8]) {
        let (lat, lon) = plane.e7(p)
        out.append(UInt8(ascii: "["))
        CoordinateE7.appendDecimal(lon, to: &out)
        out.append(UInt8(ascii: ","))
        CoordinateE7.appendDecimal(lat, to: &out)
        out.append(UInt8(ascii: "]"))
    }

    static func appendLine(_ points: [PlanePoint], _ plane: ScenarioPlane, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, p) in points.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendPosition(p, plane, &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
