import FieldtraceCore

/// Elementary functions written with IEEE 754 arithmetic and `squareRoot()` only, so scenarios are
/// bit-identical on every platform (the C library's `sin`, `log`, ... may differ in the last bit
/// between glibc and Darwin, which would move an E7 coordinate now and then). Accurate to a few
/// units in the last place for the arguments the simulator uses (|x| below 1e5); not fast paths.
enum ScenarioMath {
    static let pi = Double.pi
    // Cody-Waite splits of ln 2 and π/2 (fdlibm's constants).
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10
    private static let halfPiHi = 1.57079632673412561417e+00
    private static let halfPiLo = 6.07710050650619224932e-11

    /// e^x.
    static func exp(_ x: Double) -> Double {
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / (ln2Hi + ln2Lo)).rounded()
        let r = (x - k * ln2Hi) - k * ln2Lo  // |r| <= 0.35
        var sum = 1.0
        var i = 16.0
        while i >= 1 {
            sum = 1 + sum * r / i
            i -= 1
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// Natural logarithm; `-inf` for 0, NaN below.
    static func log(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        var e = Double(x.exponent)
        var m = x.significand  // 1 ..< 2
        if m > 2.0.squareRoot() {
            m /= 2
            e += 1
        }
        let s = (m - 1) / (m + 1)  // |s| <= 0.172
        let s2 = s * s
        var sum = 0.0
        var n = 27.0
        while n >= 1 {
            sum = 1 / n + s2 * sum
            n -= 2
        }
        return 2 * s * sum + e * ln2Lo + e * ln2Hi
    }

    private static func reduce(_ x: Double) -> (r: Double, quadrant: Int) {
        let k = (x / (halfPiHi + halfPiLo)).rounded()
        let r = (x - k * halfPiHi) - k * halfPiLo
        let q = Int(k) % 4
        return (r, q < 0 ? q + 4 : q)
    }

    private static func sinSmall(_ r: Double) -> Double {
        let r2 = r * r
        var sum = 1.0
        var n = 18.0
        while n >= 2 {
            sum = 1 - r2 / (n * (n + 1)) * sum
            n -= 2
        }
        return r * sum
    }

    private static func cosSmall(_ r: Double) -> Double {
        let r2 = r * r
        var sum = 1.0
        var n = 18.0
        while n >= 2 {
            sum = 1 - r2 / (n * (n - 1)) * sum
            n -= 2
        }
        return sum
    }

    static func sin(_ x: Double) -> Double {
        let (r, q) = reduce(x)
        switch q {
        case 0: return sinSmall(r)
        case 1: return cosSmall(r)
        case 2: return -sinSmall(r)
        default: return -cosSmall(r)
        }
    }

    static func cos(_ x: Double) -> Double {
        let (r, q) = reduce(x)
        switch q {
        case 0: return cosSmall(r)
        case 1: return -sinSmall(r)
        case 2: return -cosSmall(r)
        default: return sinSmall(r)
        }
    }

    /// atan(z) for |z| <= 1: two argument halvings (atan z = 2 atan(z / (1 + √(1+z²)))) bring
    /// |z| below 0.2, where 14 series terms suffice.
    private static func atanUnit(_ z: Double) -> Double {
        var t = z
        for _ in 0..<2 { t = t / (1 + (1 + t * t).squareRoot()) }
        let t2 = t * t
        var sum = 0.0
        var n = 29.0
        var sign = n.truncatingRemainder(dividingBy: 4) == 1 ? 1.0 : -1.0
        while n >= 1 {
            sum = sign / n + t2 * sum
            sign = -sign
            n -= 2
        }
        // sum = 1 - t²/3 + t⁴/5 - ... with the signs fixed by the highest term's position.
        return 4 * t * sum
    }

    /// The angle of (x, y) from the x axis, -π ... π, as the C library's `atan2(y, x)`.
    static func atan2(_ y: Double, _ x: Double) -> Double {
        if x == 0 && y == 0 { return 0 }
        let ax = abs(x)
        let ay = abs(y)
        var a = ay <= ax ? atanUnit(ay / ax) : pi / 2 - atanUnit(ax / ay)
        if x < 0 { a = pi - a }
        return y < 0 ? -a : a
    }

    /// Wraps an angle to -π ... π.
    static func wrap(_ a: Double) -> Double {
        var x = a
        while x > pi { x -= 2 * pi }
        while x <= -pi { x += 2 * pi }
        return x
    }
}

/// A point in a scenario's local plane, metres east and north of the origin.
struct PlanePoint: Sendable, Hashable {
    var east: Double
    var north: Double

    static let zero = PlanePoint(east: 0, north: 0)
    static func + (a: PlanePoint, b: PlanePoint) -> PlanePoint {
        .init(east: a.east + b.east, north: a.north + b.north)
    }
    static func - (a: PlanePoint, b: PlanePoint) -> PlanePoint {
        .init(east: a.east - b.east, north: a.north - b.north)
    }
    static func * (a: PlanePoint, k: Double) -> PlanePoint { .init(east: a.east * k, north: a.north * k) }
    var length: Double { (east * east + north * north).squareRoot() }
    func distance(to other: PlanePoint) -> Double { (self - other).length }
    /// Heading of this vector, radians clockwise from north.
    var heading: Double { ScenarioMath.atan2(east, north) }
    /// The unit vector of a heading (radians clockwise from north).
    static func unit(heading: Double) -> PlanePoint {
        .init(east: ScenarioMath.sin(heading), north: ScenarioMath.cos(heading))
    }
}

/// The scenario's own equirectangular plane around an origin (the same projection as Core's
/// `LocalTangentPlane`, computed with `ScenarioMath` so it is bit-identical everywhere).
struct ScenarioPlane: Sendable {
    let originLatitude: Double
    let originLongitude: Double
    let metersPerDegreeLatitude: Double
    let metersPerDegreeLongitude: Double

    init(originLatitude: Double, originLongitude: Double) {
        self.originLatitude = originLatitude
        self.originLongitude = originLongitude
        metersPerDegreeLatitude = Geodesy.earthRadiusM * Double.pi / 180
        metersPerDegreeLongitude = metersPerDegreeLatitude * ScenarioMath.cos(originLatitude * Double.pi / 180)
    }

    func latitudeLongitude(_ p: PlanePoint) -> (latitude: Double, longitude: Double) {
        (originLatitude + p.north / metersPerDegreeLatitude, originLongitude + p.east / metersPerDegreeLongitude)
    }

    func point(latitude: Double, longitude: Double) -> PlanePoint {
        .init(
            east: (longitude - originLongitude) * metersPerDegreeLongitude,
            north: (latitude - originLatitude) * metersPerDegreeLatitude)
    }

    /// The point rounded to 1e-7 degree, as GeoJSON and fixes carry it.
    func e7(_ p: PlanePoint) -> (latitudeE7: Int32, longitudeE7: Int32) {
        let (lat, lon) = latitudeLongitude(p)
        return (CoordinateE7.fromDegrees(lat), CoordinateE7.fromDegrees(lon))
    }

    /// The point moved to where its E7-rounded coordinates project, so the truth is computed
    /// against exactly the geometry the GeoJSON describes.
    func snapped(_ p: PlanePoint) -> PlanePoint {
        let (lat, lon) = e7(p)
        return point(latitude: Double(lat) / 1e7, longitude: Double(lon) / 1e7)
    }
}

/// A stream of seeded random values for one concern of a scenario (motion, noise, outliers, ...),
/// so changing how one concern draws never shifts another's values.
struct ScenarioRandom {
    private var rng: SeededRandom
    private var spare: Double?

    init(seed: UInt64, stream: UInt64) {
        rng = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D &+ (stream &+ 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Uniform in [0, 1), 53 random bits.
    mutating func uniform() -> Double { Double(rng.next() >> 11) / Double(UInt64(1) << 53) }
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(uniform() * Double(range.count))
    }
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal (Marsaglia's polar method: needs only log and square root).
    mutating func gaussian() -> Double {
        if let s = spare {
            spare = nil
            return s
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * ScenarioMath.log(s) / s).squareRoot()
                spare = v * f
                return u * f
            }
        }
    }

    /// A uniformly distributed unit vector (rejection sampling, no trigonometry).
    mutating func unitVector() -> PlanePoint {
        while true {
            let p = PlanePoint(east: 2 * uniform() - 1, north: 2 * uniform() - 1)
            let l = p.length
            if l > 0.1 && l < 1 { return p * (1 / l) }
        }
    }
}
