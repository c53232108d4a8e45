import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

@Suite struct ScenarioGeoJSONTests {
    /// Brackets and braces balance outside strings (a cheap check that also holds for a reader
    /// more lenient than Foundation's).
    static func balanced(_ text: String) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { return false }
            default: break
            }
        }
        return depth == 0 && !inString
    }

    @Test(arguments: ScenarioCatalog.names)
    func fencesAndRoutesAreWellFormedGeoJSON(name: String) throws {
        let s = ScenarioCache.scenario(name, 2)
        #expect(Self.balanced(s.fencesGeoJSON) && Self.balanced(s.routesGeoJSON))
        let fences = try #require(TestFeature.read(s.fencesGeoJSON), "\(s.fencesGeoJSON.prefix(200))")
        let routes = try #require(TestFeature.read(s.routesGeoJSON))
        #expect(Set(fences.map(\.id)).count == fences.count, "ids are unique")
        for fence in fences {
            #expect(!fence.id.isEmpty)
            switch fence.kind {
            case "Point": #expect(((fence.properties["radius_m"] as? NSNumber)?.doubleValue ?? 0) > 0)
            case "LineString":
                #expect(((fence.properties["width_m"] as? NSNumber)?.doubleValue ?? 0) > 0)
                #expect(fence.lines[0].count >= 2)
            default:
                #expect(fence.kind == "Polygon")
                for ring in fence.lines {
                    #expect(ring.count >= 4)
                    #expect(ring.first! == ring.last!, "rings are closed")
                }
            }
        }
        #expect(routes.count == (name.hasPrefix("route-") ? 1 : 0))
        for route in routes {
            #expect(route.kind == "LineString" && route.lines[0].count >= 2)
            #expect(((route.properties["width_m"] as? NSNumber)?.doubleValue ?? 0) == 50)
            #expect(route.properties["device"] as? String == s.device.rawValue)
            let from = try #require((route.properties["from"] as? String).flatMap { ISO8601.parse($0.utf8) })
            let to = try #require((route.properties["to"] as? String).flatMap { ISO8601.parse($0.utf8) })
            #expect(from < s.fixes.first!.timeMs && to > s.fixes.last!.timeMs)
        }
    }
}
