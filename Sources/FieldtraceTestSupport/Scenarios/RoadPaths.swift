/// Road-like polylines in a scenario's plane.
enum RoadPaths {
    /// Drops points closer than 0.5 m to their predecessor.
    static func deduplicated(_ points: [PlanePoint]) -> [PlanePoint] {
        var out: [PlanePoint] = []
        out.reserveCapacity(points.count)
        for p in points where out.last.map({ $0.distance(to: p) >= 0.5 }) ?? true { out.append(p) }
        return out
    }

    /// A street route from `a` to `b` on a grid-like network: straight legs of `legM` (the last
    /// leg on an axis may be shorter when little is left), alternating between the east-west and
    /// north-south axes, so most turns are 90°; with `bendChance` a leg also drifts sideways by
    /// 20-60% of its length (a bend in the road, a turn of 60-80°). Every leg moves towards `b`,
    /// so the route never doubles back.
    static func grid(
        from a: PlanePoint, to b: PlanePoint, legM: ClosedRange<Double> = 80...600, bendChance: Double = 0.15,
        _ rng: inout ScenarioRandom
    ) -> [PlanePoint] {
        var points = [a]
        var p = a
        var alongEast = rng.chance(0.5)
        while max(abs(b.east - p.east), abs(b.north - p.north)) > 0.5 {
            let remaining = alongEast ? b.east - p.east : b.north - p.north
            guard abs(remaining) > 0.5 else {
                alongEast.toggle()
                continue
            }
            let leg =
                abs(remaining) <= legM.upperBound
                ? abs(remaining)
                : rng.uniform(legM.lowerBound, min(legM.upperBound, abs(remaining) - legM.lowerBound))
            let sign = remaining < 0 ? -1.0 : 1.0
            var next = p
            if alongEast { next.east += sign * leg } else { next.north += sign * leg }
            let other = alongEast ? b.north - p.north : b.east - p.east
            if abs(other) > legM.lowerBound, rng.chance(bendChance) {
                let drift = min(abs(other) - legM.lowerBound / 2, leg * rng.uniform(0.2, 0.6))
                if alongEast {
                    next.north += (other < 0 ? -1 : 1) * drift
                } else {
                    next.east += (other < 0 ? -1 : 1) * drift
                }
            }
            points.append(next)
            p = next
            alongEast.toggle()
        }
        return points
    }

    /// Rounds every corner of more than about 3° with a curve of `radiusM` (a quadratic Bézier
    /// through the tangent points, 2-9 segments), shrunk where legs are short. Returns the points
    /// and, per point, whether it stands for an original vertex (where a new leg starts and where
    /// a vehicle may wait before turning). U-turns (over 160°) stay sharp.
    static func rounded(_ raw: [PlanePoint], radiusM: Double) -> (points: [PlanePoint], vertices: [Bool]) {
        guard raw.count > 2 else { return (raw, [Bool](repeating: true, count: raw.count)) }
        var points = [raw[0]]
        var vertices = [true]
        func add(_ p: PlanePoint, _ isVertex: Bool) {
            if p.distance(to: points[points.count - 1]) < 0.01 {
                vertices[vertices.count - 1] = vertices[vertices.count - 1] || isVertex
            } else {
                points.append(p)
                vertices.append(isVertex)
            }
        }
        for i in 1..<(raw.count - 1) {
            let v = raw[i]
            let inLength = v.distance(to: raw[i - 1])
            let outLength = raw[i + 1].distance(to: v)
            let u = (v - raw[i - 1]) * (1 / inLength)
            let w = (raw[i + 1] - v) * (1 / outLength)
            let cosTurn = max(-1, min(1, u.east * w.east + u.north * w.north))
            let sinTurn = abs(u.east * w.north - u.north * w.east)
            let turn = ScenarioMath.atan2(sinTurn, cosTurn)
            guard turn > 0.05, turn < 2.8 else {
                add(v, true)
                continue
            }
            let tangent = min(radiusM * sinTurn / (1 + cosTurn), 0.4 * inLength, 0.4 * outLength)
            let a = v - u * tangent
            let b = v + w * tangent
            let k = max(2, Int(turn / (Double.pi / 8)) + 1)
            for step in 0...k {
                let s = Double(step) / Double(k)
                add(a * ((1 - s) * (1 - s)) + v * (2 * s * (1 - s)) + b * (s * s), step == 0)
            }
        }
        add(raw[raw.count - 1], true)
        return (points, vertices)
    }

    /// Length of a polyline, metres.
    static func length(_ points: [PlanePoint]) -> Double {
        var total = 0.0
        for i in points.indices.dropFirst() { total += points[i].distance(to: points[i - 1]) }
        return total
    }
}
