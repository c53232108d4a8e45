import FieldtraceCore

/// One device's fixes durable in the WAL and waiting to be sealed into segments, with the WAL
/// sequence of each, in arrival order.
///
/// Kept compact because every connected device has one: a fix is 48 bytes here instead of the
/// 128 of a `Fix` (whose device id, optional doubles and optionals' tags repeat per fix). The
/// buffer holds canonicalised fixes (`Fix.canonicalized()`), whose optional values are whole
/// multiples of `StorageResolution`: they are kept as those integers and read back as exactly the
/// same doubles. A fix whose values do not fit (an altitude beyond 21,000 km, a receive time more
/// than 24 days from the fix time) is kept whole beside the compact ones, so nothing is ever
/// rounded here.
struct DeviceBuffer {
    let device: DeviceID
    private(set) var records: [Record] = []
    private(set) var sequences: [UInt64] = []
    /// Fixes that do not fit a `Record`, by index (their record holds only the time and position).
    private var whole: [Int: Fix] = [:]

    init(device: DeviceID) { self.device = device }

    init(device: DeviceID, fixes: some Collection<Fix>, sequences: some Collection<UInt64>) {
        self.device = device
        for (fix, sequence) in zip(fixes, sequences) { append(fix, sequence: sequence) }
    }

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    /// The newest fix time buffered.
    var newestTimeMs: Int64? { records.lazy.map(\.timeMs).max() }

    mutating func append(_ fix: Fix, sequence: UInt64) {
        if let record = Record(fix) {
            records.append(record)
        } else {
            whole[records.count] = fix
            var record = Record(timeOnly: fix.timeMs)
            (record.latitudeE7, record.longitudeE7) = (fix.latitudeE7, fix.longitudeE7)
            records.append(record)
        }
        sequences.append(sequence)
    }

    /// The buffered fix with the newest time (the first to arrive of equal times).
    var newest: Fix? {
        var best: Int?
        for i in records.indices where records[i].timeMs > best.map({ records[$0].timeMs }) ?? .min { best = i }
        return best.map(fix(at:))
    }

    func timeMs(at index: Int) -> Int64 { records[index].timeMs }

    func fix(at index: Int) -> Fix { whole[index] ?? records[index].fix(device: device) }

    /// Every buffered fix, in arrival order.
    var fixes: [Fix] { records.indices.map(fix(at:)) }

    /// The buffered fixes with `from <= timeMs <= to`, in arrival order.
    func fixes(from: Int64, to: Int64) -> [Fix] {
        records.indices.filter { records[$0].timeMs >= from && records[$0].timeMs <= to }.map(fix(at:))
    }

    /// Whether a buffered fix lies in the time range and the box (bounds included), read from the
    /// records (no `Fix` is made). An empty box or range (a minimum above its maximum) has none.
    func hasFix(
        from: Int64, to: Int64, minLatitudeE7: Int32, maxLatitudeE7: Int32, minLongitudeE7: Int32,
        maxLongitudeE7: Int32
    ) -> Bool {
        records.contains {
            $0.timeMs >= from && $0.timeMs <= to && $0.latitudeE7 >= minLatitudeE7 && $0.latitudeE7 <= maxLatitudeE7
                && $0.longitudeE7 >= minLongitudeE7 && $0.longitudeE7 <= maxLongitudeE7
        }
    }

    /// A fix in 48 bytes: times, coordinates, the optional values as integers of their storage
    /// resolution with a bit each saying whether they are present.
    struct Record {
        var timeMs: Int64
        var latitudeE7: Int32
        var longitudeE7: Int32
        /// `receivedMs - timeMs`.
        var receivedDeltaMs: Int32
        var altitude: Int32
        var speed: Int32
        var course: Int32
        var hdop: Int32
        var accuracy: Int32
        var flags: UInt16
        var satellites: UInt8
        var source: UInt8
        /// Bits: received, altitude, speed, course, hdop, accuracy, satellites.
        var present: UInt8

        init(timeOnly timeMs: Int64) {
            self.timeMs = timeMs
            (latitudeE7, longitudeE7, receivedDeltaMs) = (0, 0, 0)
            (altitude, speed, course, hdop, accuracy) = (0, 0, 0, 0, 0)
            (flags, satellites, source, present) = (0, 0, 0, 0)
        }

        /// The compact form of a canonicalised fix; nil when a value does not fit.
        init?(_ fix: Fix) {
            self.init(timeOnly: fix.timeMs)
            latitudeE7 = fix.latitudeE7
            longitudeE7 = fix.longitudeE7
            flags = fix.flags.rawValue
            source = fix.source.rawValue
            if let received = fix.receivedMs {
                let (delta, overflow) = received.subtractingReportingOverflow(fix.timeMs)
                guard !overflow, let small = Int32(exactly: delta) else { return nil }
                receivedDeltaMs = small
                present |= 1
            }
            func quantized(_ value: Double?, _ scale: Double, bit: UInt8) -> Int32?? {
                guard let value else { return .some(nil) }
                let q = StorageResolution.quantize(value, scale)
                // Only values that read back exactly (canonical ones) are kept compact.
                guard let small = Int32(exactly: q), Double(small) / scale == value else { return nil }
                present |= bit
                return .some(small)
            }
            guard let alt = quantized(fix.altitudeM, StorageResolution.altitudePerMeter, bit: 2),
                let speed = quantized(fix.speedMps, StorageResolution.speedPerMeterPerSecond, bit: 4),
                let course = quantized(fix.courseDeg, StorageResolution.coursePerDegree, bit: 8),
                let hdop = quantized(fix.hdop, StorageResolution.hdopPerUnit, bit: 16),
                let accuracy = quantized(fix.accuracyM, StorageResolution.accuracyPerMeter, bit: 32)
            else { return nil }
            (altitude, self.speed, self.course, self.hdop, self.accuracy) =
                (alt ?? 0, speed ?? 0, course ?? 0, hdop ?? 0, accuracy ?? 0)
            if let satellites = fix.satellites {
                self.satellites = satellites
                present |= 64
            }
        }

        func fix(device: DeviceID) -> Fix {
            func value(_ q: Int32, _ scale: Double, bit: UInt8) -> Double? {
                present & bit != 0 ? Double(q) / scale : nil
            }
            return Fix(
                device: device, timeMs: timeMs,
                receivedMs: present & 1 != 0 ? timeMs + Int64(receivedDeltaMs) : nil,
                latitudeE7: latitudeE7, longitudeE7: longitudeE7,
                altitudeM: value(altitude, StorageResolution.altitudePerMeter, bit: 2),
                speedMps: value(speed, StorageResolution.speedPerMeterPerSecond, bit: 4),
                courseDeg: value(course, StorageResolution.coursePerDegree, bit: 8),
                hdop: value(hdop, StorageResolution.hdopPerUnit, bit: 16),
                accuracyM: value(accuracy, StorageResolution.accuracyPerMeter, bit: 32),
                satellites: present & 64 != 0 ? satellites : nil,
                flags: FixFlags(rawValue: flags), source: SourceProtocol(rawValue: source) ?? .unknown)
        }
    }
}
