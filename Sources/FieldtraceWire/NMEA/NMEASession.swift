import FieldtraceCore

/// The sentence-level state machine shared by the TCP and UDP decoders: checks each line,
/// dispatches it through `NMEASentenceTable`, assembles epochs and emits fixes.
///
/// Accounting: every non-empty line is a frame. A frame is rejected (by reason), ignored
/// (a known unused sentence), or joins an epoch. An epoch then counts once: as a fix, as
/// ignored (no position: VTG/GSA/ZDA only, or empty latitude/longitude), or as rejected
/// `no_date` (a position that cannot be placed in time: no RMC/ZDA date seen yet on the
/// stream, or no time of day). So `frames` counts sentences and `fixes` counts epochs.
struct NMEASession {
    let lenient: Bool
    let maxRejectionsKept: Int
    let isDeviceAllowed: @Sendable (DeviceID) -> Bool
    /// Ask the transport to close after a refused `$PGID` (TCP; a datagram has no connection).
    let closeOnRefusal: Bool
    let table = NMEASentenceTable.index

    /// The identity in force: set by `$PGID`, `nil` before it (and at each datagram's start).
    var identity: DeviceID?
    /// The token of the last accepted `$PGID`, if it carried one.
    var identityToken: [UInt8]?
    /// The identity the calendar's date belongs to: a new identity starts without a date.
    var calendarIdentity: DeviceID?
    var epoch = NMEAEpoch()
    var calendar = NMEACalendar()
    var dateCache = NMEADateCache()

    /// "Now" of the current consume call, and its UTC year for two-digit RMC years.
    var receivedMs: Int64 = 0
    var referenceYear = 1970
    var referenceYearMs: Int64 = 0

    init(configuration: WireConfiguration, closeOnRefusal: Bool) {
        lenient = configuration.lenientNMEAChecksum
        maxRejectionsKept = configuration.maxRejectionsKept
        isDeviceAllowed = configuration.isDeviceAllowed
        self.closeOnRefusal = closeOnRefusal
    }

    /// Sets "now" for the sentences that follow.
    @inline(__always)
    mutating func setReceived(_ ms: Int64) {
        receivedMs = ms
        if ms != referenceYearMs {
            referenceYear = NMEAReferenceYear.year(ofMs: ms)
            referenceYearMs = ms
        }
    }

    /// Handles one line (without `\n`; a trailing `\r` is dropped) that starts at `offset`
    /// in the stream, with what `NMEAFraming.scanLine` found in it. Empty lines are skipped
    /// without counting.
    @inline(__always)
    mutating func line(
        _ raw: UnsafeRawBufferPointer, scan: NMEALineScan, offset: Int, into output: inout WireOutput
    ) {
        var line = raw
        var lineXor = scan.xor
        if let last = line.last, last == UInt8(ascii: "\r") {
            line = UnsafeRawBufferPointer(rebasing: line[0..<(line.count &- 1)])
            lineXor ^= UInt8(ascii: "\r")
        }
        if line.isEmpty { return }
        output.counters.frames &+= 1
        do throws(NMEAError) {
            try sentence(line, lineXor: lineXor, offset: offset, into: &output)
        } catch {
            reject(error, bytes: line, offset: offset, into: &output)
        }
    }

    /// Counts a rejection; keeps a `WireError` (built only while there is room to keep it,
    /// so steady-state rejections do not allocate).
    mutating func reject(
        _ error: NMEAError, bytes: UnsafeRawBufferPointer, offset: Int, into output: inout WireOutput
    ) {
        if output.rejections.count < maxRejectionsKept {
            output.reject(
                WireError(error.reason, protocol: .nmea, offset: offset, bytes: bytes, detail: error.detail),
                limit: maxRejectionsKept)
        } else {
            output.counters.reject(error.reason)
        }
    }

    @inline(__always)
    mutating func sentence(
        _ line: UnsafeRawBufferPointer, lineXor: UInt8, offset: Int, into output: inout WireOutput
    ) throws(NMEAError) {
        let bodyEnd = try NMEAFraming.checkSentence(line, lineXor: lineXor, lenient: lenient)
        guard bodyEnd >= 2 else { throw .unknownSentence }
        if line[1] == UInt8(ascii: "P") {
            try proprietary(line, bodyEnd: bodyEnd, into: &output)
            return
        }
        guard bodyEnd >= 6, bodyEnd == 6 || line[6] == UInt8(ascii: ","),
            line[1] &- UInt8(ascii: "A") < 26, line[2] &- UInt8(ascii: "A") < 26
        else { throw .unknownSentence }
        let kind = NMEASentenceTable.kind(table, line[3], line[4], line[5])
        var fields = NMEAFields(line, from: 7, end: bodyEnd)
        let data: NMEASentenceData
        switch kind {
        case .unknown: throw .unknownSentence
        case .ignored:
            output.counters.ignored &+= 1
            return
        case .rmc:
            guard identity != nil else { throw .noIdentity }
            data = try NMEARMC.parse(&fields, referenceYear: referenceYear, dateCache: &dateCache)
        case .gga:
            guard identity != nil else { throw .noIdentity }
            data = try NMEAGGA.parse(&fields)
        case .gns:
            guard identity != nil else { throw .noIdentity }
            data = try NMEAGNS.parse(&fields)
        case .gll:
            guard identity != nil else { throw .noIdentity }
            data = try NMEAGLL.parse(&fields)
        case .vtg:
            guard identity != nil else { throw .noIdentity }
            data = try NMEAVTG.parse(&fields)
        case .gsa:
            guard identity != nil else { throw .noIdentity }
            data = try NMEAGSA.parse(&fields)
        case .zda:
            guard identity != nil else { throw .noIdentity }
            data = try NMEAZDA.parse(&fields)
        }
        join(data, isGSA: kind == .gsa, offset: offset, into: &output)
    }

    /// Adds a parsed sentence to the current epoch, first closing the epoch if the sentence
    /// has a time of day and the epoch has another one (or none). Sentences without a time
    /// (VTG, GSA, or an RMC with an empty time field) join the current epoch.
    @inline(__always)
    mutating func join(_ data: NMEASentenceData, isGSA: Bool, offset: Int, into output: inout WireOutput) {
        if let time = data.timeOfDayMs, epoch.isOpen, epoch.data.timeOfDayMs != time {
            closeEpoch(into: &output)
        }
        if !epoch.isOpen { epoch.open(receivedMs: receivedMs, offset: offset) }
        epoch.merge(data, isGSA: isGSA)
    }

    /// `$P...`: the identity sentence, an ignored manufacturer's sentence, or unknown.
    mutating func proprietary(
        _ line: UnsafeRawBufferPointer, bodyEnd: Int, into output: inout WireOutput
    ) throws(NMEAError) {
        if NMEAPGID.matches(line, bodyEnd: bodyEnd) {
            try establishIdentity(line, bodyEnd: bodyEnd, into: &output)
            return
        }
        var addressEnd = 1
        while addressEnd < bodyEnd, line[addressEnd] != UInt8(ascii: ",") { addressEnd &+= 1 }
        guard NMEASentenceTable.isIgnoredProprietary(line, addressEnd: addressEnd) else { throw .unknownSentence }
        output.counters.ignored &+= 1
    }

    /// `$PGID`: a new identity closes the epoch of the previous one; a repeated one changes
    /// nothing. A bad or refused id leaves the stream without identity, so its data is
    /// rejected as `no_identity` until a good `$PGID` arrives (never credited to the previous
    /// device).
    mutating func establishIdentity(
        _ line: UnsafeRawBufferPointer, bodyEnd: Int, into output: inout WireOutput
    ) throws(NMEAError) {
        let parsed: (id: UnsafeRawBufferPointer, token: UnsafeRawBufferPointer?)
        do throws(NMEAError) {
            parsed = try NMEAPGID.parse(line, bodyEnd: bodyEnd)
        } catch {
            closeEpoch(into: &output)
            identity = nil
            throw error
        }
        if let current = identity, current.rawValue.utf8.elementsEqual(parsed.id) {
            updateToken(parsed.token)
            return
        }
        closeEpoch(into: &output)
        let id: DeviceID
        if let known = calendarIdentity, known.rawValue.utf8.elementsEqual(parsed.id) {
            id = known
        } else {
            guard let new = DeviceID(ascii: parsed.id) else {
                identity = nil
                throw .badIdentity
            }
            id = new
            calendarIdentity = new
            calendar = NMEACalendar()
        }
        guard isDeviceAllowed(id) else {
            identity = nil
            if closeOnRefusal { output.shouldClose = true }
            throw .refused
        }
        identity = id
        updateToken(parsed.token)
        output.identity = id
    }

    mutating func updateToken(_ token: UnsafeRawBufferPointer?) {
        guard let token else {
            identityToken = nil
            return
        }
        if let old = identityToken, old.elementsEqual(token) { return }
        identityToken = Array(token)
    }

    /// Emits the pending epoch (if any) as a fix, or counts it.
    mutating func closeEpoch(into output: inout WireOutput) {
        guard epoch.isOpen else { return }
        defer { epoch.reset() }
        var day: Int64?
        if let time = epoch.data.timeOfDayMs {
            day = calendar.place(dayNumber: epoch.data.dayNumber, timeOfDayMs: time)
        }
        guard let position = epoch.data.position else {
            output.counters.ignored &+= 1
            return
        }
        guard let day, let time = epoch.data.timeOfDayMs else {
            reject(.noDate, bytes: UnsafeRawBufferPointer(start: nil, count: 0), offset: epoch.offset, into: &output)
            return
        }
        guard let device = identity else {
            reject(
                .noIdentity, bytes: UnsafeRawBufferPointer(start: nil, count: 0), offset: epoch.offset, into: &output)
            return
        }
        let rollover = GPSWeekRollover.correct(day &* UTCTime.msPerDay &+ Int64(time), referenceMs: epoch.receivedMs)
        var flags = FixFlags(rawValue: epoch.isValid ? FixFlags.valid.rawValue : 0)
        if rollover.corrected { flags.insert(.weekRolloverCorrected) }
        output.appendFix(
            Fix(
                device: device, timeMs: rollover.timeMs, receivedMs: epoch.receivedMs,
                latitudeE7: position.latitudeE7, longitudeE7: position.longitudeE7, altitudeM: epoch.data.altitudeM,
                speedMps: epoch.data.speedMps, courseDeg: epoch.data.courseDeg, hdop: epoch.hdop,
                satellites: epoch.satellites, flags: flags, source: .nmea))
    }
}
