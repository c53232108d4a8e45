import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

@testable import FieldtraceReports

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct DayPlotTests {
    /// Counts elements by name and class; fails on malformed XML.
    final class Census: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var texts: [String] = []
        var inText = false
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            counts[name + (attributes["class"].map { "." + $0 } ?? ""), default: 0] += 1
            inText = name == "text"
            if inText { texts.append("") }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { texts[texts.count - 1] += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            inText = false
        }
    }

    static func census(_ svg: String) throws -> Census {
        let parser = XMLParser(data: Data(svg.utf8))
        let census = Census()
        parser.delegate = census
        #expect(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return census
    }

    @Test func drawsTrackFencesStopsDeviationsAndAScaleBar() throws {
        var sim = FleetSimulator(seed: 4)
        let fixes = sim.track(device: DeviceID("w4")!, startMs: 1_764_400_000_000, durationSeconds: 4 * 3600)
        let mid = fixes[fixes.count / 2]
        let fence = Geofence(
            id: "site-1", name: "Site <A> & B",
            shape: .circle(
                center: GeoPosition(longitude: Double(mid.longitudeE7) / 1e7, latitude: Double(mid.latitudeE7) / 1e7),
                radiusM: 150))
        let corridor = Geofence(
            id: "road",
            shape: .corridor(
                line: fixes.prefix(100).map {
                    GeoPosition(longitude: Double($0.longitudeE7) / 1e7, latitude: Double($0.latitudeE7) / 1e7)
                }, widthM: 40))
        let stop = DayPlot.Interval(
            startMs: mid.timeMs, endMs: mid.timeMs + 1_800_000, latitude: Double(mid.latitudeE7) / 1e7,
            longitude: Double(mid.longitudeE7) / 1e7, label: "30 min")
        let deviation = DayPlot.Interval(startMs: fixes[100].timeMs, endMs: fixes[400].timeMs, label: "off route")
        let plot = DayPlot(
            title: "w4 2025-11-29", fixes: fixes, fences: [fence, corridor], stops: [stop], deviations: [deviation])
        let svg = plot.render()
        let census = try Self.census(svg)
        #expect(census.counts["polyline.track"] == 1)
        #expect(census.counts["polyline.deviation"] == 1)
        #expect(census.counts["polygon.fence"] == 1 && census.counts["polyline.fence"] == 1)
        #expect(
            census.counts["circle.stop"] == 1 && census.counts["circle.start"] == 1 && census.counts["circle.end"] == 1)
        #expect(census.counts["polyline.scale-bar"] == 1)
        #expect(census.texts.contains("Site <A> & B"), "names are escaped and read back")
        #expect(census.texts.contains { $0.hasSuffix(" m") || $0.hasSuffix(" km") })
        // Every drawn track point is on the page.
        let f = plot.frame()
        for fix in fixes {
            let p = f.point(latitude: Double(fix.latitudeE7) / 1e7, longitude: Double(fix.longitudeE7) / 1e7)
            #expect(p.x >= 0 && p.x <= plot.widthPx && p.y >= 0 && p.y <= plot.heightPx)
        }
    }

    @Test func emptyDayStillRenders() throws {
        let census = try Self.census(DayPlot(title: "nobody", fixes: []).render())
        #expect(census.counts["polyline.track"] == nil && census.counts["polyline.scale-bar"] == 1)
    }

    @Test func scaleBarLengthsAreRound() {
        #expect(DayPlot.roundLength(targetMeters: 730).0 == 500)
        #expect(DayPlot.roundLength(targetMeters: 1999).1 == "1 km")
        #expect(DayPlot.roundLength(targetMeters: 2000).1 == "2 km")
        #expect(DayPlot.roundLength(targetMeters: 37).0 == 20)
        #expect(DayPlot.roundLength(targetMeters: 0.5).0 == 1)
    }
}
