import FieldtraceCore

/// The shared plausibility check every decoded fix passes in tests (house rule 10): a fix that
/// fails it is a decoder bug, whatever the input was.
public enum Plausibility {
    /// Latest accepted fix time: 2100-01-01. Decoders correct rollovers and two-digit years, so
    /// nothing decoded may land beyond the century.
    public static let latestFixTimeMs: Int64 = 4_102_444_800_000

    /// Problems with a fix; empty when it is plausible.
    public static func problems(_ fix: Fix) -> [String] {
        var found: [String] = []
        if !CoordinateE7.isInRange(latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7) {
            found.append("coordinates out of range: \(fix.latitudeE7), \(fix.longitudeE7)")
        }
        if fix.timeMs < 0 || fix.timeMs > latestFixTimeMs { found.append("fix time out of range: \(fix.timeMs)") }
        if let v = fix.speedMps, !(v.isFinite && v >= 0 && v < 2000) { found.append("speed \(v) m/s") }
        if let v = fix.courseDeg, !(v.isFinite && v >= 0 && v < 360.0001) { found.append("course \(v)") }
        if let v = fix.altitudeM, !(v.isFinite && v > -20_000 && v < 1_000_000) { found.append("altitude \(v)") }
        if let v = fix.hdop, !(v.isFinite && v >= 0 && v < 10_000) { found.append("hdop \(v)") }
        if let v = fix.accuracyM, !(v.isFinite && v >= 0) { found.append("accuracy \(v)") }
        if fix.flags.contains(.backfill), !fix.flags.contains(.late) { found.append("backfill without late") }
        if !DeviceID.isValid(fix.device.rawValue.utf8) { found.append("bad device id") }
        return found
    }

    public static func isPlausible(_ fix: Fix) -> Bool { problems(fix).isEmpty }
}
