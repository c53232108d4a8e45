import FieldtraceAnalytics
import FieldtraceCore

/// A worker's day drawn as a self-contained SVG (`fieldtrace plot`): fences, the track, stops,
/// deviation stretches, start and end, a scale bar and a caption. No map tiles (none exist
/// offline): everything is drawn in a local tangent plane around the day's extent, north up,
/// metres to pixels at one scale on both axes, so distances on the page are true.
public struct DayPlot: Sendable {
    /// A stretch of the day to mark: a stop (drawn as a disc at its place) or a deviation (the
    /// track drawn in red between its times).
    public struct Interval: Sendable, Hashable {
        public var startMs: Int64
        public var endMs: Int64
        public var latitude: Double?
        public var longitude: Double?
        public var label: String

        public init(startMs: Int64, endMs: Int64, latitude: Double? = nil, longitude: Double? = nil, label: String) {
            self.startMs = startMs
            self.endMs = endMs
            self.latitude = latitude
            self.longitude = longitude
            self.label = label
        }
    }

    public var title: String
    public var fixes: [Fix]
    public var fences: [Geofence]
    public var stops: [Interval]
    public var deviations: [Interval]
    /// Page size, pixels.
    public var widthPx = 1000.0
    public var heightPx = 760.0
    /// Blank border around the drawing, pixels (the caption and scale bar sit in it).
    public var marginPx = 48.0

    public init(
        title: String, fixes: [Fix], fences: [Geofence] = [], stops: [Interval] = [], deviations: [Interval] = []
    ) {
        self.title = title
        self.fixes = fixes
        self.fences = fences
        self.stops = stops
        self.deviations = deviations
    }

    /// Metres to pixels: the plane, the scale and the page offset.
    struct Frame {
        let plane: LocalTangentPlane
        let pxPerM: Double
        let centerEastM: Double
        let centerNorthM: Double
        let widthPx: Double
        let heightPx: Double

        func point(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
            let (e, n) = plane.project(latitude: latitude, longitude: longitude)
            return (widthPx / 2 + (e - centerEastM) * pxPerM, heightPx / 2 - (n - centerNorthM) * pxPerM)
        }
    }

    /// The frame that fits the track and the fences near it (fences far from the day's track
    /// are left out of the extent, not of the drawing).
    func frame() -> Frame {
        var lats = fixes.map { Double($0.latitudeE7) / 1e7 }
        var lons = fixes.map { Double($0.longitudeE7) / 1e7 }
        if lats.isEmpty {
            for fence in fences {
                for p in Self.outline(fence.shape).flatMap({ $0 }) { lats.append(p.latitude); lons.append(p.longitude) }
            }
        }
        guard let minLat = lats.min(), let maxLat = lats.max(), let minLon = lons.min(), let maxLon = lons.max() else {
            return Frame(
                plane: LocalTangentPlane(originLatitude: 0, originLongitude: 0), pxPerM: 1, centerEastM: 0,
                centerNorthM: 0, widthPx: widthPx, heightPx: heightPx)
        }
        let plane = LocalTangentPlane(originLatitude: (minLat + maxLat) / 2, originLongitude: (minLon + maxLon) / 2)
        let (e0, n0) = plane.project(latitude: minLat, longitude: minLon)
        let (e1, n1) = plane.project(latitude: maxLat, longitude: maxLon)
        // At least 200 m across, so a worker who stayed put is not drawn at a silly zoom.
        let spanE = max(e1 - e0, 200)
        let spanN = max(n1 - n0, 200)
        let scale = min((widthPx - 2 * marginPx) / spanE, (heightPx - 2 * marginPx - 40) / spanN)
        return Frame(
            plane: plane, pxPerM: scale, centerEastM: (e0 + e1) / 2, centerNorthM: (n0 + n1) / 2, widthPx: widthPx,
            heightPx: heightPx)
    }

    /// The rings that draw a shape (circles and corridors approximated by polygons).
    static func outline(_ shape: GeofenceShape) -> [[GeoPosition]] {
        switch shape {
        case .polygon(let rings): return rings
        case .multiPolygon(let polygons): return polygons.flatMap { $0 }
        case .circle(let center, let radiusM):
            let plane = LocalTangentPlane(originLatitude: center.latitude, originLongitude: center.longitude)
            return [
                (0...48).map { i in
                    let a = Double(i) / 48 * 2 * .pi
                    let (lat, lon) = plane.unproject(eastM: radiusM * cosine(a), northM: radiusM * sine(a))
                    return GeoPosition(longitude: lon, latitude: lat)
                }
            ]
        case .corridor(let line, _): return [line]
        }
    }

    /// The SVG document.
    public func render() -> String {
        let f = frame()
        var svg = SVGText(widthPx: widthPx, heightPx: heightPx)
        svg.rect(x: 0, y: 0, w: widthPx, h: heightPx, fill: "#fbfbf8", stroke: "none")
        for fence in fences {
            switch fence.shape {
            case .corridor(let line, let widthM):
                svg.polyline(
                    line.map { f.point(latitude: $0.latitude, longitude: $0.longitude) },
                    stroke: "#9ecae1", widthPx: max(1, widthM * f.pxPerM), opacity: 0.5, cssClass: "fence")
            default:
                for ring in Self.outline(fence.shape) {
                    svg.polygon(
                        ring.map { f.point(latitude: $0.latitude, longitude: $0.longitude) }, fill: "#c6dbef",
                        stroke: "#3182bd", cssClass: "fence")
                }
            }
            if let first = Self.outline(fence.shape).first?.first {
                let p = f.point(latitude: first.latitude, longitude: first.longitude)
                svg.text(fence.name ?? fence.id, x: p.x + 3, y: p.y - 3, sizePx: 11, fill: "#08519c")
            }
        }
        let points = fixes.map {
            f.point(latitude: Double($0.latitudeE7) / 1e7, longitude: Double($0.longitudeE7) / 1e7)
        }
        svg.polyline(points, stroke: "#252525", widthPx: 1.6, opacity: 0.9, cssClass: "track")
        for deviation in deviations {
            let stretch = zip(fixes, points).filter {
                $0.0.timeMs >= deviation.startMs && $0.0.timeMs <= deviation.endMs
            }
            svg.polyline(stretch.map(\.1), stroke: "#de2d26", widthPx: 3.5, opacity: 0.9, cssClass: "deviation")
        }
        for stop in stops {
            guard let lat = stop.latitude, let lon = stop.longitude else { continue }
            let p = f.point(latitude: lat, longitude: lon)
            let minutes = Double(stop.endMs - stop.startMs) / 60_000
            svg.circle(
                x: p.x, y: p.y, r: 4 + min(10, minutes.squareRoot()), fill: "#fd8d3c", stroke: "#a63603",
                cssClass: "stop")
            svg.text(stop.label, x: p.x + 8, y: p.y + 4, sizePx: 10, fill: "#7f2704")
        }
        if let first = points.first, let last = points.last {
            svg.circle(x: first.x, y: first.y, r: 5, fill: "#31a354", stroke: "#006d2c", cssClass: "start")
            svg.circle(x: last.x, y: last.y, r: 5, fill: "#756bb1", stroke: "#54278f", cssClass: "end")
        }
        scaleBar(f, into: &svg)
        svg.text(title, x: marginPx, y: 28, sizePx: 16, fill: "#111")
        return svg.document()
    }

    /// A bar of a round length (1, 2 or 5 x 10^k metres) about a fifth of the page wide.
    func scaleBar(_ f: Frame, into svg: inout SVGText) {
        let (meters, label) = Self.roundLength(targetMeters: (widthPx / 5) / f.pxPerM)
        let length = meters * f.pxPerM
        let y = heightPx - 20
        svg.polyline(
            [(marginPx, y - 6), (marginPx, y), (marginPx + length, y), (marginPx + length, y - 6)], stroke: "#111",
            widthPx: 2, opacity: 1, cssClass: "scale-bar")
        svg.text(label, x: marginPx + length + 6, y: y, sizePx: 12, fill: "#111")
    }

    /// The largest 1, 2 or 5 x 10^k metres not above `targetMeters`, and its label.
    static func roundLength(targetMeters: Double) -> (Double, String) {
        var unit = 1.0
        while unit * 10 <= targetMeters { unit *= 10 }
        while unit > targetMeters && unit > 1 { unit /= 10 }
        let meters = [5.0, 2, 1].map { $0 * unit }.first { $0 <= targetMeters } ?? unit
        let label = meters >= 1000 ? "\(SVGText.number(meters / 1000)) km" : "\(SVGText.number(meters)) m"
        return (meters, label)
    }
}
