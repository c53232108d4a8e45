/// Why the sanity filter rejected a fix. Checked in this order; the first that applies wins.
///
/// Raw values are stable (they may be stored or counted): append, never renumber.
public enum SanityRejection: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The device did not claim a valid position, or the coordinates are outside WGS-84 range.
    case invalid = 0
    /// Both coordinates within `SanityFilter.Configuration.nullIslandRadiusE7` of (0, 0): a
    /// receiver that has no position yet and fills the fields with zeros ("null island").
    case zeroCoordinates = 1
    /// The fix time is later than the reference time (receive time or a caller's clock) plus
    /// the tolerance: a device clock in the wrong time zone or not yet synchronised.
    case futureTime = 2
    /// The fix time is before the earliest plausible time, or older than the maximum age before
    /// the reference time: an uncorrected GPS week rollover or a reset real-time clock.
    case ancientTime = 3
    /// The same fix time as the last accepted fix, or the same time and position as the
    /// previous fix: a retransmission after a lost acknowledgement.
    case duplicate = 4
    /// The fix time is earlier than the last accepted fix's: the input was not in time order.
    case outOfOrder = 5
    /// Reaching the fix from the last accepted fix needs a speed above the limit, after
    /// allowing for both fixes' position error.
    case impossibleSpeed = 6

    /// snake_case name, for logs, counters and event attributes.
    public var description: String {
        switch self {
        case .invalid: "invalid"
        case .zeroCoordinates: "zero_coordinates"
        case .futureTime: "future_time"
        case .ancientTime: "ancient_time"
        case .duplicate: "duplicate"
        case .outOfOrder: "out_of_order"
        case .impossibleSpeed: "impossible_speed"
        }
    }
}
