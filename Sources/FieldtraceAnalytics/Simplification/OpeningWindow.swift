import FieldtraceCore

/// The state machine behind `StreamingSimplifier`, on raw coordinates: the anchor (last kept
/// point), the candidate (latest point) and the window's velocity constraints as 16 half-plane
/// bounds. See `StreamingSimplifier` for the method and its guarantee.
struct OpeningWindow: Sendable {
    enum Decision {
        /// The point is the first: kept at once.
        case first
        /// The window now ends at the point; nothing kept.
        case extended
        /// The window could not take the point: the previous point is kept and anchors a new window.
        case keptPrevious
    }

    /// The tolerance less `SimplificationGuard`'s margin, metres (negative: keep every fix).
    let limitM: Double
    let maxIntervalMs: Int64
    /// r × cos(π/16): the apothem of the 16-gon inscribed in a disk of radius r, slightly rounded down.
    let apothemM: Double

    private var hasAnchor = false
    private var hasCandidate = false
    private var anchorLatE7: Int32 = 0
    private var anchorLonE7: Int64 = 0
    private var anchorTimeMs: Int64 = 0
    /// A point ends the window unless latitudeE7 × `hemisphere` ≥ `latitudeLimitE7`: it must stay on
    /// the anchor's side of the equator and no closer to it than the latitude of the plane's east
    /// scale (`hemisphere` 0: the anchor is near the equator, the scale is the largest, no limit).
    private var latitudeLimitE7: Int64 = 0
    private var hemisphere: Int64 = 0
    private var eastPerE7 = 0.0
    private var northPerE7 = 0.0
    private var candidateLatE7: Int32 = 0
    private var candidateLonE7: Int32 = 0
    private var candidateTimeMs: Int64 = 0
    /// 16 doubles inline (a homogeneous tuple: `InlineArray` needs macOS 26), read and written
    /// through a pointer in scalar loops. `SIMD16` with `pointwiseMin` and lane masks compiled to
    /// lane-by-lane stack traffic and ran at 400 ns per fix; these loops take a few ns.
    typealias Sixteen = (
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double
    )
    static let unbounded: Sixteen = (
        .infinity, .infinity, .infinity, .infinity, .infinity, .infinity, .infinity, .infinity,
        .infinity, .infinity, .infinity, .infinity, .infinity, .infinity, .infinity, .infinity
    )
    /// Unit normals at angles k·π/8, k = 0..15, as (x, y) pairs (cos and sin of π/8, π/4, 3π/8).
    static let directions: (x: Sixteen, y: Sixteen) = {
        let (c1, c2, c3) = (0.923_879_532_511_286_7, 0.707_106_781_186_547_6, 0.382_683_432_365_089_8)
        return (
            (1, c1, c2, c3, 0, -c3, -c2, -c1, -1, -c1, -c2, -c3, 0, c3, c2, c1),
            (0, c3, c2, c1, 1, c1, c2, c3, 0, -c3, -c2, -c1, -1, -c1, -c2, -c3)
        )
    }()

    /// Half-plane bounds on the window's velocity (m/ms) along the 16 directions.
    private var bound: Sixteen = unbounded

    init(toleranceMeters: Double, maxIntervalMs: Int64) {
        limitM = SimplificationGuard.limitMeters(toleranceMeters: toleranceMeters)
        apothemM = limitM * 0.980_785_280_403_23
        self.maxIntervalMs = maxIntervalMs
    }

    mutating func reset() {
        hasAnchor = false
        hasCandidate = false
        bound = Self.unbounded
    }

    mutating func offer(latitudeE7: Int32, longitudeE7: Int32, timeMs: Int64) -> Decision {
        guard hasAnchor else {
            anchor(latitudeE7: latitudeE7, longitudeE7: longitudeE7, timeMs: timeMs)
            return .first
        }
        if hasCandidate && !extends(latitudeE7: latitudeE7, longitudeE7: longitudeE7, timeMs: timeMs) {
            anchor(latitudeE7: candidateLatE7, longitudeE7: candidateLonE7, timeMs: candidateTimeMs)
            setCandidate(latitudeE7, longitudeE7, timeMs)
            return .keptPrevious
        }
        setCandidate(latitudeE7, longitudeE7, timeMs)
        return .extended
    }

    @inline(__always)
    private mutating func setCandidate(_ latitudeE7: Int32, _ longitudeE7: Int32, _ timeMs: Int64) {
        hasCandidate = true
        candidateLatE7 = latitudeE7
        candidateLonE7 = longitudeE7
        candidateTimeMs = timeMs
    }

    /// Whether the window anchor → P stays valid with the candidate as one more point inside it;
    /// if so, the candidate's constraint is added.
    @inline(__always)
    private mutating func extends(latitudeE7: Int32, longitudeE7: Int32, timeMs: Int64) -> Bool {
        let spanMs = timeMs &- anchorTimeMs
        guard spanMs > 0, spanMs <= maxIntervalMs, limitM >= 0 else { return false }
        guard Int64(latitudeE7) * hemisphere >= latitudeLimitE7, Int64(candidateLatE7) * hemisphere >= latitudeLimitE7
        else { return false }
        let (cx, cy) = project(candidateLatE7, candidateLonE7)
        let candidateSpanMs = candidateTimeMs &- anchorTimeMs
        var next = bound
        var directions = Self.directions
        let (px, py) = project(latitudeE7, longitudeE7)
        let radius = candidateSpanMs == 0 ? 0 : apothemM / abs(Double(candidateSpanMs))
        let fits = withUnsafeMutablePointer(to: &next) { nextTuple in
            withUnsafeMutablePointer(to: &directions) { directionTuples in
                nextTuple.withMemoryRebound(to: Double.self, capacity: 16) { next in
                    directionTuples.withMemoryRebound(to: Double.self, capacity: 32) { d in
                        let (dx, dy) = (d, d + 16)
                        if candidateSpanMs == 0 {
                            // At the anchor's time the interpolated position is the anchor, whatever
                            // the velocity.
                            guard cx * cx + cy * cy <= limitM * limitM else { return false }
                        } else {
                            let inverse = 1 / Double(candidateSpanMs)
                            for k in 0..<16 { next[k] = min(next[k], (dx[k] * cx + dy[k] * cy) * inverse + radius) }
                        }
                        // v = p / span must satisfy n·v <= bound along every direction; span > 0, so
                        // compare n·p with bound·span.
                        let span = Double(spanMs)
                        var excess = -Double.infinity
                        for k in 0..<16 { excess = max(excess, dx[k] * px + dy[k] * py - next[k] * span) }
                        return excess <= 0
                    }
                }
            }
        }
        guard fits else { return false }
        bound = next
        return true
    }

    @inline(__always)
    private func project(_ latitudeE7: Int32, _ longitudeE7: Int32) -> (Double, Double) {
        var dLon = Int64(longitudeE7) - anchorLonE7
        if dLon > 1_800_000_000 { dLon -= 3_600_000_000 } else if dLon < -1_800_000_000 { dLon += 3_600_000_000 }
        return (Double(dLon) * eastPerE7, Double(Int64(latitudeE7) - Int64(anchorLatE7)) * northPerE7)
    }

    private mutating func anchor(latitudeE7: Int32, longitudeE7: Int32, timeMs: Int64) {
        hasAnchor = true
        hasCandidate = false
        anchorLatE7 = latitudeE7
        anchorLonE7 = Int64(longitudeE7)
        anchorTimeMs = timeMs
        bound = Self.unbounded
        let marginE7 = Int64(StreamingSimplifier.scaleMarginDegrees * 1e7)
        latitudeLimitE7 = max(0, Int64(latitudeE7.magnitude) - marginE7)
        hemisphere = latitudeLimitE7 == 0 ? 0 : latitudeE7 > 0 ? 1 : -1
        let plane = LocalTangentPlane(originLatitude: Double(latitudeLimitE7) / 1e7, originLongitude: 0)
        eastPerE7 = plane.metersPerDegreeLongitude / 1e7
        northPerE7 = plane.metersPerDegreeLatitude / 1e7
    }
}
