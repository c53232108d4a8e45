import FieldtraceCore

/// Why an NMEA sentence (or an epoch assembled from sentences) was not turned into a fix.
///
/// Thrown with typed throws inside the parsers, mapped to a shared `RejectReason` at the
/// decoder boundary by `reason`.
enum NMEAError: Error, Equatable {
    /// The `*hh` checksum does not match the XOR of the bytes between `$` and `*`.
    case badChecksum(expected: UInt8, actual: UInt8)
    /// The sentence carries no `*hh` checksum and `lenientNMEAChecksum` is off.
    case noChecksum
    /// The line is longer than `WireLimits.nmeaSentenceMaxBytes`.
    case tooLong
    /// The line does not start with `$`, or bytes follow the checksum.
    case badFraming
    /// A sentence type this decoder does not know (neither handled nor on the ignored list).
    case unknownSentence
    /// A field that is not a number, out of range or malformed; `field` is its 1-based index.
    case badField(field: Int)
    /// A time of day or a date that does not exist (hour 24, February 30, ...).
    case badTime
    /// A `$PGID` whose device id is missing or not a valid `DeviceID`.
    case badIdentity
    /// A `$PGID` naming a device that `WireConfiguration.isDeviceAllowed` refuses.
    case refused
    /// A data sentence before the stream (or datagram) named its device with `$PGID`.
    case noIdentity
    /// An epoch with a position that cannot be placed in time: no date was seen on the
    /// stream yet (GGA/GNS/GLL before any RMC/ZDA), or the epoch has no time of day.
    case noDate

    /// The counter label for this error.
    var reason: RejectReason {
        switch self {
        case .badChecksum: .badChecksum
        case .noChecksum: .nmeaNoChecksum
        case .tooLong: .tooLong
        case .badFraming: .badFraming
        case .unknownSentence: .unknownMessage
        case .badField: .badField
        case .badTime: .badTime
        case .badIdentity: .badIdentity
        case .refused: .nmeaRefused
        case .noIdentity: .noIdentity
        case .noDate: .nmeaNoDate
        }
    }

    /// A short human-readable detail for logs: a constant, so that keeping a rejection
    /// costs no string formatting.
    var detail: String {
        switch self {
        case .badChecksum: "checksum: the *hh of the sentence differs from the XOR of its bytes"
        case .noChecksum: "no *hh checksum (lenient mode is off)"
        case .tooLong: "line longer than the sentence cap"
        case .badFraming: "not a sentence: no leading $, or bytes after the checksum"
        case .unknownSentence: "unknown sentence type"
        case .badField: "a field is malformed or out of range"
        case .badTime: "impossible time of day or date"
        case .badIdentity: "$PGID without a valid device id"
        case .refused: "device not allowed"
        case .noIdentity: "data before $PGID"
        case .noDate: "epoch cannot be placed in time (no date yet, or no time of day)"
        }
    }
}

extension RejectReason {
    /// An NMEA sentence without a `*hh` checksum while lenient mode is off.
    public static let nmeaNoChecksum = RejectReason("no_checksum")
    /// An NMEA epoch (fix) that cannot be placed in time: no RMC/ZDA date seen yet on the
    /// stream, or no time of day. NMEA never guesses a date.
    public static let nmeaNoDate = RejectReason("no_date")
    /// A `$PGID` naming a device that the configuration refuses.
    public static let nmeaRefused = RejectReason("refused")
}
