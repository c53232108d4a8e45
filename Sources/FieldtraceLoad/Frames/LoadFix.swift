/// One fix as the generator sends it: compact (24 bytes), the time already truncated to the
/// protocol's resolution so the ledger holds what the server stores.
public struct LoadFix: Sendable, Hashable {
    /// Fix time, ms since the Unix epoch (UTC), on the device's schedule.
    public var timeMs: Int64
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    /// Speed over ground, cm/s.
    public var speedCentimetersPerSecond: UInt16
    /// Course over ground, whole degrees 0...359.
    public var courseDeg: UInt16
    /// Altitude above mean sea level, whole metres.
    public var altitudeM: Int16
    /// Recorded while the device was offline: sent later with the protocol's late/back-fill marker.
    public var backlog: Bool

    public init(
        timeMs: Int64, latitudeE7: Int32, longitudeE7: Int32, speedCentimetersPerSecond: UInt16 = 0,
        courseDeg: UInt16 = 0, altitudeM: Int16 = 0, backlog: Bool = false
    ) {
        self.timeMs = timeMs
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.speedCentimetersPerSecond = speedCentimetersPerSecond
        self.courseDeg = courseDeg
        self.altitudeM = altitudeM
        self.backlog = backlog
    }

    /// Speed in whole km/h (Teltonika, GT06), rounded.
    var speedKmh: Int { (Int(speedCentimetersPerSecond) * 36 + 500) / 1000 }
    /// Satellites every simulated fix reports (FleetSimulator's value).
    static let satellites: UInt8 = 11
}
