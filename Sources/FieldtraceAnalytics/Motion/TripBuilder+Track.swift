import FieldtraceCore

extension TripBuilder {
    /// Appends a fix to the track buffer with its cumulative distance and robust speed.
    mutating func append(_ fix: Fix) {
        if let last = points.last {
            frame.rebaseIfFar(fix)
            let a = frame.plane.project(
                latitude: Double(last.latitudeE7) / 1e7, longitude: Double(last.longitudeE7) / 1e7)
            let b = frame.project(fix)
            let de = b.east - a.eastM
            let dn = b.north - a.northM
            distanceM += (de * de + dn * dn).squareRoot()
        } else {
            frame.rebaseIfFar(fix)
        }
        let speedMps = speed.update(fix)
        points.append(
            Point(
                timeMs: fix.timeMs, latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7, distanceM: distanceM,
                speedMps: speedMps))
    }

    /// Cuts trips at the stop detector's conclusions and passes its events on, a trip before
    /// the `stop.start` that ends it.
    mutating func apply(_ event: AnalyticsEvent, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]) {
        if event.kind == .stopStart, openTrip != nil {
            close(atMs: event.timeMs, reason: .stop, confirmedAtMs: confirmedAtMs, into: &events)
        }
        events.append(event)
        if event.kind == .stopEnd, openTrip == nil { open(atMs: event.timeMs) }
    }

    /// The buffered point at or just before a time (the oldest one if the time is older).
    func pointIndex(atMs timeMs: Int64) -> Int {
        points.lastIndex { $0.timeMs <= timeMs } ?? points.startIndex
    }

    mutating func open(atMs timeMs: Int64) {
        guard !points.isEmpty else { return }
        openTrip = OpenTrip(start: points[pointIndex(atMs: timeMs)], droppedMaxSpeedMps: 0)
    }

    mutating func close(
        atMs timeMs: Int64, reason: Trip.EndReason, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]
    ) {
        guard let trip = openTrip else { return }
        openTrip = nil
        let endIndex = pointIndex(atMs: timeMs)
        let end = points[endIndex]
        guard end.timeMs > trip.start.timeMs else { return }
        var maxSpeed = trip.droppedMaxSpeedMps
        var i = endIndex
        while i >= points.startIndex && points[i].timeMs >= trip.start.timeMs {
            maxSpeed = max(maxSpeed, points[i].speedMps)
            i -= 1
        }
        let distance = end.distanceM - trip.start.distanceM
        guard distance >= configuration.minDistanceMeters else { return }
        let record = Trip(
            device: device, startMs: trip.start.timeMs, endMs: end.timeMs, startLatitudeE7: trip.start.latitudeE7,
            startLongitudeE7: trip.start.longitudeE7, endLatitudeE7: end.latitudeE7, endLongitudeE7: end.longitudeE7,
            distanceMeters: distance, maxSpeedMps: maxSpeed, confirmedAtMs: confirmedAtMs, endReason: reason)
        trips.append(record)
        var event = record.event
        event.late = lastFixLate
        events.append(event)
    }

    /// Drops points older than the retention, folding the open trip's into its maximum speed.
    mutating func dropOldPoints(before timeMs: Int64) {
        while points.count > 1, let first = points.first, first.timeMs < timeMs {
            if let start = openTrip?.start.timeMs, first.timeMs >= start {
                openTrip!.droppedMaxSpeedMps = max(openTrip!.droppedMaxSpeedMps, first.speedMps)
            }
            points.removeFirst()
        }
    }
}
