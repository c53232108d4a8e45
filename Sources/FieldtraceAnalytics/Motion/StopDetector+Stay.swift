import FieldtraceCore

/// One admitted fix of a stay, in the detector's plane frame; `sequence` counts the stay's
/// admitted fixes from 0, so counts stay exact when the candidate buffer is thinned.
struct StaySample: Sendable {
    var timeMs: Int64
    var east: Double
    var north: Double
    var sequence: Int

    @inline(__always)
    func distance(toEast east: Double, north: Double) -> Double {
        let de = self.east - east
        let dn = self.north - north
        return (de * de + dn * dn).squareRoot()
    }
}

/// A stay the stop detector tracks: a candidate until it has lasted the minimum duration
/// (then a confirmed stop). Its centre is the mean of its admitted fixes; a fix is admitted
/// when it lies within the radius of that centre, so the mean is trimmed by distance.
///
/// Memory: the candidate keeps every admitted fix (to find the arrival once confirmed) up to
/// `candidateSampleCap`, then every second one, and so on; a confirmed stop keeps only its
/// last `tailCapacity` fixes (to find the departure). Buffers keep their capacity when the
/// stay is reset, up to `keptCapacity` samples, so a detector in steady state does not allocate;
/// larger ones (a long stop's tail, a long candidate) are released, so a device that once
/// stayed for hours does not hold 32 KiB per buffer ever after.
struct Stay: Sendable {
    static let candidateSampleCap = 4096
    static let tailCapacity = 1024
    /// Samples a buffer keeps room for across a reset: 256 holds a 1 Hz candidate up to its
    /// confirmation (120 s) with room to spare, at 8 KiB.
    static let keptCapacity = 256

    var isActive = false
    var isConfirmed = false
    /// Times of the first and last admitted fix, ms.
    var firstMs: Int64 = 0
    var lastMs: Int64 = 0
    /// While suspended: time of the first fix outside the radius, ms.
    var excursionStartMs: Int64 = 0
    /// Confirmed: the arrival (first fix of the stay), ms, and the confirming fix's time.
    var arrivalMs: Int64 = 0
    var confirmedAtMs: Int64 = 0
    /// Sums over the fixes that define the centre (a candidate: all; a stop: since arrival).
    var sumEast = 0.0
    var sumNorth = 0.0
    var count = 0
    /// Admitted fixes since the candidate began.
    var admitted = 0
    /// Confirmed: the robust centre at confirmation (for `stop.start`) and the edge radius.
    var confirmedLatitudeE7: Int32 = 0
    var confirmedLongitudeE7: Int32 = 0
    var edgeRadiusM = 0.0
    var longStayEmitted = false
    /// A candidate tries confirmation again only from this fix time on, ms.
    var nextCheckMs: Int64 = 0
    var samples: [StaySample] = []
    var stride = 1
    var tail = TimeRing<StaySample>()

    var centreEast: Double { sumEast / Double(count) }
    var centreNorth: Double { sumNorth / Double(count) }

    @inline(__always)
    func squaredDistance(east: Double, north: Double) -> Double {
        let de = east - sumEast / Double(count)
        let dn = north - sumNorth / Double(count)
        return de * de + dn * dn
    }

    /// Starts a new candidate at one fix, keeping buffer capacity.
    mutating func reset(timeMs: Int64, east: Double, north: Double, minDurationMs: Int64) {
        isActive = true
        isConfirmed = false
        firstMs = timeMs
        lastMs = timeMs
        sumEast = east
        sumNorth = north
        count = 1
        admitted = 1
        longStayEmitted = false
        nextCheckMs = timeMs + minDurationMs
        samples.removeAll(keepingCapacity: samples.capacity <= Self.keptCapacity)
        samples.append(StaySample(timeMs: timeMs, east: east, north: north, sequence: 0))
        stride = 1
        if tail.capacity > Self.keptCapacity {
            tail = TimeRing()
        } else if !tail.isEmpty {
            tail.removeAll()
        }
    }

    mutating func deactivate() {
        isActive = false
        isConfirmed = false
    }

    @inline(__always)
    mutating func admit(timeMs: Int64, east: Double, north: Double) {
        sumEast += east
        sumNorth += north
        count += 1
        lastMs = timeMs
        let sample = StaySample(timeMs: timeMs, east: east, north: north, sequence: admitted)
        admitted += 1
        if isConfirmed {
            if tail.count == Self.tailCapacity { tail.removeFirst() }
            tail.append(sample)
        } else if sample.sequence % stride == 0 {
            if samples.count == Self.candidateSampleCap { thin() }
            if sample.sequence % stride == 0 { samples.append(sample) }
        }
    }

    /// Keeps every second candidate sample (the first one always stays: it may be the arrival).
    private mutating func thin() {
        var kept = 0
        for i in Swift.stride(from: 0, to: samples.count, by: 2) {
            samples[kept] = samples[i]
            kept += 1
        }
        samples.removeLast(samples.count - kept)
        stride *= 2
    }
}
