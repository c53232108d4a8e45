import FieldtraceCore

/// A track as parallel columns of what a map draws: fix time, position, altitude. 20 bytes a
/// fix instead of a `Fix` value (about 140), and no per-fix work beyond copying the decoded
/// segment columns: what `TrackStore.replayColumns` returns for the GeoJSON writer.
public struct TrackColumns: Sendable, Equatable {
    /// Marks a fix without altitude in `altitudesCm`.
    public static let noAltitude = Int64.min
    /// Largest altitude magnitude kept exactly, centimetres (10^14: a decimal of at most 15
    /// significant digits, written the same from the integer as from its `Double`); beyond it
    /// (never a real altitude) the columns are refused and the caller reads fixes.
    static let maxAltitudeCm: Int64 = 100_000_000_000_000

    public private(set) var timesMs: [Int64] = []
    public private(set) var latitudesE7: [Int32] = []
    public private(set) var longitudesE7: [Int32] = []
    /// Altitude in centimetres (`StorageResolution.altitudePerMeter`), `noAltitude` where absent.
    public private(set) var altitudesCm: [Int64] = []

    public init() {}

    /// The columns of stored (canonicalised) fixes; nil when an altitude is not a whole number
    /// of centimetres within `maxAltitudeCm`.
    public init?(fixes: [Fix]) {
        reserve(fixes.count)
        for fix in fixes {
            guard append(fix) else { return nil }
        }
    }

    public var count: Int { timesMs.count }

    /// Fix `i`'s altitude in metres, as a replayed `Fix` has it.
    public func altitudeM(_ i: Int) -> Double? {
        altitudesCm[i] == Self.noAltitude ? nil : Double(altitudesCm[i]) / StorageResolution.altitudePerMeter
    }

    mutating func reserve(_ n: Int) {
        timesMs.reserveCapacity(n)
        latitudesE7.reserveCapacity(n)
        longitudesE7.reserveCapacity(n)
        altitudesCm.reserveCapacity(n)
    }

    /// Appends a canonicalised fix; false (nothing appended) when its altitude has no exact
    /// centimetre value.
    mutating func append(_ fix: Fix) -> Bool {
        var altitude = Self.noAltitude
        if let metres = fix.altitudeM {
            let scaled = (metres * StorageResolution.altitudePerMeter).rounded()
            guard scaled.isFinite, abs(scaled) < Double(Self.maxAltitudeCm),
                Double(Int64(scaled)) / StorageResolution.altitudePerMeter == metres
            else { return false }
            altitude = Int64(scaled)
        }
        timesMs.append(fix.timeMs)
        latitudesE7.append(fix.latitudeE7)
        longitudesE7.append(fix.longitudeE7)
        altitudesCm.append(altitude)
        return true
    }

    /// Appends the fixes of a decoded segment with `from <= time <= to`, after the checks
    /// `SegmentDecoder` makes when it builds fixes (times increasing, coordinates in range).
    /// False when an altitude is beyond `maxAltitudeCm`. Times increase, so the fixes in range
    /// are one run: copied column by column in tight loops (no per-fix append).
    mutating func append(_ segment: SegmentColumns, from: Int64, to: Int64) throws(PackingError) -> Bool {
        let n = segment.count
        let time = segment.slot(.time)
        let lat = segment.slot(.latitude)
        let lon = segment.slot(.longitude)
        let altitude = segment.slot(.altitude)
        var previous = Int64.min
        var first = n
        var end = 0
        for i in 0..<n {
            let t = time[i]
            let la = lat[i]
            let lo = lon[i]
            guard t > previous, la >= -900_000_000, la <= 900_000_000, lo >= -1_800_000_000, lo <= 1_800_000_000
            else { throw .malformed("fix \(i) out of order or range") }
            previous = t
            if t < from { continue }
            if t <= to {
                first = min(first, i)
                end = i + 1
            }
        }
        guard first < end else { return true }
        let count = end - first
        let old = self.count
        timesMs.append(contentsOf: UnsafeBufferPointer(start: time + first, count: count))
        latitudesE7.append(contentsOf: repeatElement(0, count: count))
        longitudesE7.append(contentsOf: repeatElement(0, count: count))
        altitudesCm.append(contentsOf: repeatElement(Self.noAltitude, count: count))
        latitudesE7.withUnsafeMutableBufferPointer { out in
            for k in 0..<count { out[old + k] = Int32(truncatingIfNeeded: lat[first + k]) }
        }
        longitudesE7.withUnsafeMutableBufferPointer { out in
            for k in 0..<count { out[old + k] = Int32(truncatingIfNeeded: lon[first + k]) }
        }
        var exact = true
        altitudesCm.withUnsafeMutableBufferPointer { out in
            for k in 0..<count where segment.has(.altitude, first + k) {
                let cm = altitude[first + k]
                exact = exact && cm > -Self.maxAltitudeCm && cm < Self.maxAltitudeCm
                out[old + k] = cm
            }
        }
        return exact
    }
}

extension TrackStore {
    /// `replay(device:from:to:level: 0)` as columns, decoded straight from the segments' columns
    /// (no `Fix` per fix), for the common case: segments that do not overlap and buffered fixes
    /// after them. nil in any other case (overlapping late data, an altitude beyond
    /// `TrackColumns.maxAltitudeCm`): the caller replays fixes. Same errors as `replay`.
    public func replayColumns(device: DeviceID, from: Int64 = .min, to: Int64 = .max) throws -> TrackColumns? {
        let (entries, blobs, buffered) = try snapshot(device: device, from: from, to: to, level: 0)
        let disjoint = zip(entries, entries.dropFirst()).allSatisfy { $0.t1 < $1.t0 }
        let bufferedAfter =
            buffered.isEmpty
            || (buffered.first!.timeMs > (entries.last?.t1 ?? .min)
                && zip(buffered, buffered.dropFirst()).allSatisfy { $0.timeMs < $1.timeMs })
        guard disjoint && bufferedAfter else { return nil }
        var out = TrackColumns()
        out.reserve(entries.reduce(buffered.count) { $0 + $1.count })
        var decoder = SegmentDecoder()
        for (entry, bytes) in zip(entries, blobs) {
            let exact: Bool
            do {
                exact = try bytes.withUnsafeBytes { raw in
                    try decoder.decodeColumns(raw) { segment in try out.append(segment, from: from, to: to) }
                }
            } catch {
                throw StoreError.damagedSegment(entry: entry, detail: "\(error)")
            }
            guard exact else { return nil }
        }
        for fix in buffered {
            guard out.append(fix) else { return nil }
        }
        return out
    }
}
