/// Predicts where a moving fix will be from the speed and course the tracker reported at both
/// ends of the interval (dead reckoning with the mean velocity vector), in integers only, so a
/// segment decodes to the same values on every machine and compiler: the prediction is part
/// of the segment format and must never change for version 2 segments.
///
/// At 0.1 Hz a vehicle covers about 100 m between fixes; the reported velocities predict that
/// to within a few metres on straight legs, where plain deltas miss by the change of speed and
/// heading (on the simulated fleet: 11 bits per coordinate on moving fixes against 14.7).
enum MotionPrediction {
    /// sin(k degrees) x 2^30, rounded, k = 0...90. Part of the format.
    static let sineQ30: [Int64] = [
        0, 18_739_379, 37_473_049, 56_195_305, 74_900_443, 93_582_766,
        112_236_583, 130_856_211, 149_435_979, 167_970_228, 186_453_311, 204_879_599,
        223_243_478, 241_539_355, 259_761_657, 277_904_834, 295_963_357, 313_931_728,
        331_804_471, 349_576_144, 367_241_333, 384_794_656, 402_230_767, 419_544_355,
        436_730_145, 453_782_903, 470_697_435, 487_468_587, 504_091_252, 520_560_366,
        536_870_912, 553_017_922, 568_996_477, 584_801_711, 600_428_808, 615_873_009,
        631_129_609, 646_193_961, 661_061_475, 675_727_625, 690_187_940, 704_438_018,
        718_473_518, 732_290_163, 745_883_746, 759_250_125, 772_385_229, 785_285_058,
        797_945_680, 810_363_241, 822_533_958, 834_454_122, 846_120_104, 857_528_349,
        868_675_383, 879_557_810, 890_172_315, 900_515_665, 910_584_710, 920_376_381,
        929_887_697, 939_115_760, 948_057_759, 956_710_970, 965_072_759, 973_140_576,
        980_911_966, 988_384_560, 995_556_083, 1_002_424_350, 1_008_987_269, 1_015_242_840,
        1_021_189_159, 1_026_824_413, 1_032_146_887, 1_037_154_959, 1_041_847_103, 1_046_221_891,
        1_050_277_989, 1_054_014_162, 1_057_429_273, 1_060_522_280, 1_063_292_242, 1_065_738_315,
        1_067_859_754, 1_069_655_912, 1_071_126_243, 1_072_270_298, 1_073_087_729, 1_073_578_288,
        1_073_741_824,
    ]

    /// Units of 1e-7 degree of latitude per micrometre, x 2^32 (1 degree = 111,319.49 m).
    static let latitudeUnitsPerMicrometreQ32: Int64 = 385_823
    /// Fastest speed used for a prediction, mm/s (100 m/s); faster values are not trusted.
    static let maxSpeedMmPerS: Int64 = 100_000
    /// Longest interval used for a prediction, ms (about 8.7 minutes): beyond it the reported
    /// velocities say little about the path, and the integer products stay within 64 bits.
    static let maxIntervalMs: Int64 = 524_287
    /// Latitudes beyond 89 degrees get no east-west prediction (the scale 1/cos grows without bound).
    static let maxLatitudeE7: Int64 = 890_000_000

    /// sin of an angle in hundredths of a degree (any value), x 2^30: table and linear
    /// interpolation, within 2^30 x 4e-5 of the true sine.
    static func sineQ30(centidegrees: Int64) -> Int64 {
        var c = centidegrees % 36_000
        if c < 0 { c += 36_000 }
        @inline(__always) func quarter(_ x: Int64) -> Int64 {  // x in 0...9000
            let degree = Int(x / 100)
            let fraction = x % 100
            if degree == 90 { return sineQ30[90] }
            return sineQ30[degree] + (sineQ30[degree + 1] - sineQ30[degree]) * fraction / 100
        }
        if c <= 9_000 { return quarter(c) }
        if c <= 18_000 { return quarter(18_000 - c) }
        if c <= 27_000 { return -quarter(c - 18_000) }
        return -quarter(36_000 - c)
    }

    static func cosineQ30(centidegrees: Int64) -> Int64 { sineQ30(centidegrees: centidegrees % 36_000 + 9_000) }

    /// One fix's speed (mm/s) and course (hundredths of a degree), either possibly absent.
    struct Velocity {
        var speed: Int64?
        var course: Int64?
    }

    /// The velocity north and east in mm/s x 2^16, or nil when it is not known or not usable.
    /// A fix standing still needs no course.
    @inline(__always)
    static func components(_ v: Velocity) -> (north: Int64, east: Int64)? {
        guard let speed = v.speed, speed >= 0, speed <= maxSpeedMmPerS else { return nil }
        if speed == 0 { return (0, 0) }
        guard let course = v.course else { return nil }
        return ((speed * cosineQ30(centidegrees: course)) >> 14, (speed * sineQ30(centidegrees: course)) >> 14)
    }

    /// The predicted displacement from one fix to the next: north in units of 1e-7 degree of
    /// latitude, east in micrometres (the caller scales it to longitude at its latitude with
    /// `longitudeUnits`), plus the context the residual is coded in (`contexts` of them):
    /// 0 standing, 1-3 moving with a course change up to 3, 30 or more degrees, 4-6 the same
    /// with a speed change over 2 m/s, 7 no prediction (velocity unknown).
    static func predict(
        from a: Velocity, to b: Velocity, intervalMs: Int64
    ) -> (north: Int64, eastUm: Int64, context: Int) {
        guard intervalMs > 0, intervalMs <= maxIntervalMs, let va = components(a), let vb = components(b) else {
            return (0, 0, 7)
        }
        let sa = a.speed!
        let sb = b.speed!
        var context = 0
        if sa != 0 || sb != 0 {
            var turn: Int64 = 0
            if let ca = a.course, let cb = b.course, sa != 0, sb != 0 {
                turn = ((cb &- ca) % 36_000 + 36_000) % 36_000
                if turn > 18_000 { turn = 36_000 - turn }
            }
            context = turn <= 300 ? 1 : turn <= 3_000 ? 2 : 3
            if abs(sb - sa) > 2_000 { context += 3 }
        }
        // Mean velocity (sum / 2) x interval: mm/s x 2^16 x ms = um x 2^16, so shift by 17.
        let northUm = ((va.north + vb.north) * intervalMs) >> 17
        let eastUm = ((va.east + vb.east) * intervalMs) >> 17
        return ((northUm * latitudeUnitsPerMicrometreQ32) >> 32, eastUm, context)
    }

    static let contexts = 8

    /// `eastUm` micrometres east as units of 1e-7 degree of longitude at `latitudeE7`; 0 near
    /// the poles or for an impossible latitude.
    static func longitudeUnits(eastUm: Int64, latitudeE7: Int64) -> Int64 {
        guard eastUm != 0, latitudeE7 >= -maxLatitudeE7, latitudeE7 <= maxLatitudeE7 else { return 0 }
        let units = (eastUm * latitudeUnitsPerMicrometreQ32) >> 32
        return (units << 30) / cosineQ30(centidegrees: abs(latitudeE7) / 100_000)
    }
}

/// The motion predictions from fix i-1 to fix i, for every i >= 1, known to both encoder and
/// decoder before latitude and longitude are coded (index 0 is unused).
struct MotionSteps {
    var north: [Int64]
    var eastUm: [Int64]
    var context: [Int]

    init(count n: Int) {
        north = []
        eastUm = []
        context = []
        reset(count: n)
    }

    /// No prediction for any of `n` fixes, reusing the storage.
    mutating func reset(count n: Int) {
        north.removeAll(keepingCapacity: true)
        eastUm.removeAll(keepingCapacity: true)
        context.removeAll(keepingCapacity: true)
        north.append(contentsOf: repeatElement(0, count: n))
        eastUm.append(contentsOf: repeatElement(0, count: n))
        context.append(contentsOf: repeatElement(MotionPrediction.contexts - 1, count: n))
    }

    mutating func compute(count n: Int, time: (Int) -> Int64, velocity: (Int) -> MotionPrediction.Velocity) {
        guard n > 1 else { return }
        var previous = velocity(0)
        for i in 1..<n {
            let current = velocity(i)
            let p = MotionPrediction.predict(from: previous, to: current, intervalMs: time(i) &- time(i - 1))
            north[i] = p.north
            eastUm[i] = p.eastUm
            context[i] = p.context
            previous = current
        }
    }

    /// The predicted change of latitude (or longitude, at the previous fix's latitude).
    @inline(__always) func step(_ i: Int, longitude: Bool, latitudes: [Int64]) -> Int64 {
        longitude ? MotionPrediction.longitudeUnits(eastUm: eastUm[i], latitudeE7: latitudes[i - 1]) : north[i]
    }
}
