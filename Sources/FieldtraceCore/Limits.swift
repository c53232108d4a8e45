/// Named limits shared by every module. Each says why its default was chosen.
public enum Limits {
    /// Longest device identity, bytes. A JT/T 808 2019 phone number is 20 digits, an IMEI 15,
    /// phone apps use UUIDs (36); 64 leaves room for a tenant prefix.
    public static let deviceIDMaxBytes = 64
    /// Smallest plausible fix time: 1999-08-22, the first GPS week rollover. Anything earlier is
    /// a device clock fault (or a second rollover the correction could not place).
    public static let earliestFixTimeMs: Int64 = 935_280_000_000
    /// Largest latitude magnitude in 1e-7 degree.
    public static let maxLatitudeE7: Int32 = 900_000_000
    /// Largest longitude magnitude in 1e-7 degree.
    public static let maxLongitudeE7: Int32 = 1_800_000_000
}
