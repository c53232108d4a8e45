import FieldtraceAnalytics
import FieldtraceCore

/// Test-only reading of a scenario's routes GeoJSON (one LineString feature per line, as the
/// simulator writes it: properties `id`, `width_m`, `device`, `from`, `to`). The product's GeoJSON
/// reader lives with the fences; this only has to read the simulator's fixed layout.
enum ScenarioRoutes {
    static func parse(_ geoJSON: String) -> [PlannedRoute] {
        geoJSON.split(separator: "\n").compactMap { line -> PlannedRoute? in
            let text = String(line)
            guard text.contains(#""LineString""#), let id = string(text, "id"), let device = string(text, "device"),
                let from = string(text, "from").flatMap({ ISO8601.parse($0.utf8) }),
                let to = string(text, "to").flatMap({ ISO8601.parse($0.utf8) }),
                let width = number(text, "width_m"), let coordinates = coordinates(text)
            else { return nil }
            return PlannedRoute(
                id: id, device: DeviceID(device)!, fromMs: from, toMs: to, widthMeters: width, points: coordinates)
        }
    }

    private static func value(_ text: String, _ key: String) -> Substring? {
        guard let range = text.firstRange(of: "\"\(key)\":") else { return nil }
        return text[range.upperBound...]
    }

    private static func string(_ text: String, _ key: String) -> String? {
        guard let rest = value(text, key), rest.first == "\"" else { return nil }
        return String(rest.dropFirst().prefix { $0 != "\"" })
    }

    private static func number(_ text: String, _ key: String) -> Double? {
        value(text, key).flatMap { Double(String($0.prefix { "0123456789.-eE+".contains($0) })) }
    }

    private static func coordinates(_ text: String) -> [PlannedRoute.Point]? {
        guard let rest = value(text, "coordinates") else { return nil }
        let body = rest.prefix { $0 != "}" }
        let numbers = body.split { !"0123456789.-eE+".contains($0) }.compactMap { Double(String($0)) }
        guard numbers.count >= 4, numbers.count % 2 == 0 else { return nil }
        return stride(from: 0, to: numbers.count, by: 2).map {
            PlannedRoute.Point(latitude: numbers[$0 + 1], longitude: numbers[$0])
        }
    }
}
