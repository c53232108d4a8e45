import FieldtraceCore

/// What one data sentence contributes to its epoch. Every value is optional: an empty field
/// is absent, never zero.
struct NMEASentenceData {
    /// UTC time of day, milliseconds since midnight (0 ..< 86_401_000 with a leap second).
    var timeOfDayMs: Int32?
    /// UTC date as days since 1970-01-01 (RMC, ZDA).
    var dayNumber: Int32?
    var position: NMEAPosition?
    /// Altitude above mean sea level, metres (GGA, GNS).
    var altitudeM: Double?
    /// Speed over ground, metres per second (RMC, VTG).
    var speedMps: Double?
    /// Course over ground, degrees true, 0 ..< 360 (RMC, VTG).
    var courseDeg: Double?
    /// HDOP from GGA/GNS.
    var hdop: Double?
    /// Satellites used, from GGA/GNS.
    var satellites: UInt8?
    /// HDOP from GSA: used only when no GGA/GNS of the epoch gave one.
    var gsaHdop: Double?
    /// Satellites listed as used by one GSA (one per constellation on GN receivers: summed).
    var gsaSatellites = 0
    /// The sentence's own validity claim (RMC/GLL status, GGA quality, GNS mode), if any.
    var validity: Bool?

    @inline(__always) init() {}
}

/// The sentences of one UTC time of day, merged.
///
/// Each value is taken from the first sentence of the epoch that carries it (receivers
/// repeat the same solution in every sentence of an epoch), except HDOP and satellites, for
/// which GGA/GNS win over GSA. The epoch is valid when at least one sentence claims a valid
/// fix and none claims an invalid one.
struct NMEAEpoch {
    /// Whether any sentence joined since the last close.
    var isOpen = false
    /// Server receive time of the epoch's first sentence.
    var receivedMs: Int64 = 0
    /// Stream offset of the epoch's first sentence, for rejections.
    var offset = 0
    var data = NMEASentenceData()
    var sawGSA = false

    /// Empties the epoch after it was emitted.
    @inline(__always)
    mutating func reset() {
        isOpen = false
        data = NMEASentenceData()
        sawGSA = false
    }

    @inline(__always)
    mutating func open(receivedMs: Int64, offset: Int) {
        isOpen = true
        self.receivedMs = receivedMs
        self.offset = offset
    }

    /// Merges one sentence's values.
    @inline(__always)
    mutating func merge(_ s: NMEASentenceData, isGSA: Bool) {
        if data.timeOfDayMs == nil { data.timeOfDayMs = s.timeOfDayMs }
        if data.dayNumber == nil { data.dayNumber = s.dayNumber }
        if data.position == nil { data.position = s.position }
        if data.altitudeM == nil { data.altitudeM = s.altitudeM }
        if data.speedMps == nil { data.speedMps = s.speedMps }
        if data.courseDeg == nil { data.courseDeg = s.courseDeg }
        if data.hdop == nil { data.hdop = s.hdop }
        if data.satellites == nil { data.satellites = s.satellites }
        if data.gsaHdop == nil { data.gsaHdop = s.gsaHdop }
        data.gsaSatellites &+= s.gsaSatellites
        if let claim = s.validity { data.validity = (data.validity ?? true) && claim }
        if isGSA { sawGSA = true }
    }

    /// HDOP: GGA/GNS first, else GSA.
    var hdop: Double? { data.hdop ?? data.gsaHdop }

    /// Satellites used: GGA/GNS first, else the PRNs listed by the epoch's GSAs (absent when
    /// they list none).
    var satellites: UInt8? {
        if let s = data.satellites { return s }
        guard sawGSA, data.gsaSatellites > 0 else { return nil }
        return UInt8(clamping: data.gsaSatellites)
    }

    var isValid: Bool { data.validity ?? false }
}

/// The stream's date: the last RMC/ZDA date, carried forward to epochs that have none
/// (GGA/GNS/GLL-only), with the UTC midnight wrap.
///
/// An epoch without a date gets the date of the previous epoch; if its time of day is more
/// than `wrapThresholdMs` earlier than the previous epoch's, UTC midnight has passed and the
/// date advances one day (23:59:59 followed by 00:00:00 is the next day). Smaller backward
/// steps keep the date. Before any date is known, `place` returns `nil`: NMEA never guesses.
struct NMEACalendar {
    /// A time of day this much earlier than the previous one means midnight passed: half a
    /// day, so a receiver that paused a few hours across midnight is still placed right, and
    /// a sentence slightly out of order is not taken for a new day.
    static let wrapThresholdMs: Int32 = 43_200_000

    /// Days since 1970-01-01 of the last placed epoch.
    var dayNumber: Int64?
    /// Time of day of the last placed epoch, ms.
    var lastTimeOfDayMs: Int32 = 0

    /// The day of an epoch with time of day `timeOfDayMs` and its own date, if it has one.
    @inline(__always)
    mutating func place(dayNumber own: Int32?, timeOfDayMs: Int32) -> Int64? {
        defer { lastTimeOfDayMs = timeOfDayMs }
        if let own {
            dayNumber = Int64(own)
            return Int64(own)
        }
        guard var day = dayNumber else { return nil }
        if timeOfDayMs < lastTimeOfDayMs &- Self.wrapThresholdMs {
            day &+= 1
            dayNumber = day
        }
        return day
    }
}

/// Calendar dates of RMC (`ddmmyy`) and ZDA (day, month, year fields).
enum NMEADate {
    /// Days since 1970-01-01, or `nil` for an impossible date.
    @inline(__always)
    static func dayNumber(year: Int, month: Int, day: Int) -> Int32? {
        guard month >= 1, month <= 12, day >= 1, day <= UTCTime.daysInMonth(year: year, month: month) else {
            return nil
        }
        return Int32(truncatingIfNeeded: UTCTime.daysFromCivil(year: year, month: month, day: day))
    }

    /// An RMC date `ddmmyy`; the two-digit year resolves to the century nearest
    /// `referenceYear` (`UTCTime.resolveTwoDigitYear`). `nil` when the field is empty.
    @inline(__always)
    static func ddmmyy(
        _ f: inout NMEAFields, referenceYear: Int, cache: inout NMEADateCache
    ) throws(NMEAError) -> Int32? {
        let s = f.position
        if s >= f.end || f.bytes[s] == UInt8(ascii: ",") {
            f.finish(at: s)
            return nil
        }
        guard s &+ 6 <= f.end, s &+ 6 == f.end || f.bytes[s &+ 6] == UInt8(ascii: ",") else { throw f.error }
        let day = try f.twoDigits(s)
        let month = try f.twoDigits(s &+ 2)
        let yy = try f.twoDigits(s &+ 4)
        f.finish(at: s &+ 6)
        let key = ((referenceYear &* 100 &+ yy) &* 100 &+ month) &* 100 &+ day
        if key == cache.key { return cache.dayNumber }
        let year = NMEAReferenceYear.resolve(yy, referenceYear: referenceYear)
        guard let days = dayNumber(year: year, month: month, day: day) else { throw .badTime }
        cache = NMEADateCache(key: key, dayNumber: days)
        return days
    }
}

/// The last RMC date and its day number: a stream repeats its date in every RMC of a day,
/// so the calendar arithmetic runs once a day, not once a sentence.
struct NMEADateCache {
    var key = -1
    var dayNumber: Int32 = 0
}

/// Two-digit years, resolved once per reference year instead of per sentence.
enum NMEAReferenceYear {
    /// The UTC year of `ms`.
    static func year(ofMs ms: Int64) -> Int { UTCTime.components(ms).year }

    @inline(__always)
    static func resolve(_ yy: Int, referenceYear: Int) -> Int {
        // The nearest of base-100+yy, base+yy, base+100+yy; same rule as
        // UTCTime.resolveTwoDigitYear (ties to the past) without its array.
        let base = referenceYear - referenceYear % 100
        let candidate = base + yy
        if candidate - referenceYear >= 50 { return candidate - 100 }
        if referenceYear - candidate > 50 { return candidate + 100 }
        return candidate
    }
}
