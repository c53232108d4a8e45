import FieldtraceCore

/// The resolution each optional column is stored at. Every protocol unit maps onto a distinct
/// stored value (0.1 km/h is 27.8 mm/s, 0.1 m of NMEA altitude is 10 cm), so the protocol's
/// value is recoverable; finer noise (a phone's 12.345678 m accuracy) is rounded. Fixes are
/// canonicalised to these units before they enter the WAL, so what is acknowledged is exactly
/// what replay returns.
public enum StorageResolution {
    /// Altitude: centimetres.
    public static let altitudePerMeter = 100.0
    /// Speed: millimetres per second.
    public static let speedPerMeterPerSecond = 1000.0
    /// Course: hundredths of a degree.
    public static let coursePerDegree = 100.0
    /// HDOP: hundredths.
    public static let hdopPerUnit = 100.0
    /// Accuracy: centimetres.
    public static let accuracyPerMeter = 100.0

    @inlinable static func quantize(_ value: Double, _ scale: Double) -> Int64 {
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        // Non-finite or absurd values are clamped; plausibility checks flag them upstream.
        guard scaled.isFinite else { return 0 }
        return Int64(max(-4e18, min(4e18, scaled)))
    }
}

extension Fix {
    /// The fix with its optional doubles rounded to `StorageResolution`: what the store keeps.
    public func canonicalized() -> Fix {
        var fix = self
        fix.altitudeM = altitudeM.map {
            Double(StorageResolution.quantize($0, StorageResolution.altitudePerMeter))
                / StorageResolution.altitudePerMeter
        }
        fix.speedMps = speedMps.map {
            Double(StorageResolution.quantize($0, StorageResolution.speedPerMeterPerSecond))
                / StorageResolution.speedPerMeterPerSecond
        }
        fix.courseDeg = courseDeg.map {
            Double(StorageResolution.quantize($0, StorageResolution.coursePerDegree))
                / StorageResolution.coursePerDegree
        }
        fix.hdop = hdop.map {
            Double(StorageResolution.quantize($0, StorageResolution.hdopPerUnit)) / StorageResolution.hdopPerUnit
        }
        fix.accuracyM = accuracyM.map {
            Double(StorageResolution.quantize($0, StorageResolution.accuracyPerMeter))
                / StorageResolution.accuracyPerMeter
        }
        return fix
    }
}
