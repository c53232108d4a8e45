import FieldtraceCore

/// Fixes or stop-minutes per grid cell, to see which area is overloaded (`/v1/reports/heatmap`,
/// `fieldtrace report heatmap`).
///
/// Cells are squares of about `cellM` metres on a grid anchored at 0°, 0°: `cellM / 111,195`
/// degrees of latitude by that divided by the cosine of `referenceLatitude` degrees of
/// longitude. Anchored, so the same place falls in the same cell in every report of a region,
/// and two reports can be compared cell by cell.
public struct Heatmap: Sendable {
    /// What a cell counts.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Stored fixes (every fix, as trackers reported them).
        case fixes
        /// Minutes of stops (a stop counts in the cell of its position).
        case stopMinutes = "stop_minutes"
    }

    public struct Cell: Sendable, Hashable {
        /// Grid indices (latitude row, longitude column).
        public var row: Int
        public var column: Int
        /// The cell's centre, degrees.
        public var latitude: Double
        public var longitude: Double
        /// Fixes, or stop-minutes.
        public var value: Double
        /// Distinct devices that contributed.
        public var devices: Int
    }

    public let cellM: Double
    public let degreesLatitude: Double
    public let degreesLongitude: Double
    private var values: [Int64: (value: Double, devices: Set<DeviceID>)] = [:]

    /// - Parameters:
    ///   - cellM: cell side, metres (the API's default is 250 m: a few city blocks, the area a
    ///     dispatcher reassigns work within).
    ///   - referenceLatitude: latitude where cells are square (the middle of the region), degrees.
    public init(cellM: Double, referenceLatitude: Double) {
        precondition(cellM > 0 && cellM.isFinite, "cell size must be positive")
        self.cellM = cellM
        degreesLatitude = cellM / (Geodesy.earthRadiusM * .pi / 180)
        let c = max(0.01, cosine(min(89.9, abs(referenceLatitude)) * .pi / 180))
        degreesLongitude = degreesLatitude / c
    }

    func key(latitude: Double, longitude: Double) -> (row: Int, column: Int, key: Int64) {
        let row = Int((latitude / degreesLatitude).rounded(.down))
        let column = Int((longitude / degreesLongitude).rounded(.down))
        return (row, column, Int64(row) << 32 | Int64(UInt32(truncatingIfNeeded: column)))
    }

    /// Adds `weight` (a fix, or minutes) at a point for a device.
    public mutating func add(latitude: Double, longitude: Double, weight: Double, device: DeviceID) {
        let k = key(latitude: latitude, longitude: longitude).key
        values[k, default: (0, [])].value += weight
        values[k]!.devices.insert(device)
    }

    public mutating func add(_ fix: Fix) {
        add(
            latitude: Double(fix.latitudeE7) / 1e7, longitude: Double(fix.longitudeE7) / 1e7, weight: 1,
            device: fix.device)
    }

    /// The cells with a value, largest first (ties by row, then column), at most `limit`.
    public func cells(limit: Int = .max) -> [Cell] {
        let all = values.map { key, entry in
            let row = Int(key >> 32)
            let column = Int(Int32(truncatingIfNeeded: key))
            return Cell(
                row: row, column: column, latitude: (Double(row) + 0.5) * degreesLatitude,
                longitude: (Double(column) + 0.5) * degreesLongitude, value: entry.value, devices: entry.devices.count)
        }
        return Array(all.sorted { ($1.value, $0.row, $0.column) < ($0.value, $1.row, $1.column) }.prefix(limit))
    }
}
