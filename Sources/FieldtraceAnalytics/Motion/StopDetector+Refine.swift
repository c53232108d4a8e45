import FieldtraceCore

extension StopDetector {
    /// The robust centre (coordinate-wise median) and edge radius of samples, O(n log n).
    mutating func robustCentre(
        of samples: some Collection<StaySample>
    ) -> (east: Double, north: Double, edgeRadiusM: Double) {
        // Room for up to 256 values is kept between calls; a long candidate's (up to 4,096) is not.
        defer { if scratch.capacity > Stay.keptCapacity { scratch = [] } }
        scratch.removeAll(keepingCapacity: true)
        for s in samples { scratch.append(s.east) }
        let east = medianInPlace(&scratch)
        scratch.removeAll(keepingCapacity: true)
        for s in samples { scratch.append(s.north) }
        let north = medianInPlace(&scratch)
        scratch.removeAll(keepingCapacity: true)
        for s in samples { scratch.append(s.distance(toEast: east, north: north)) }
        scratch.sort()
        // Jitter sigma from the lower quartile of the distances (a Rayleigh quartile is 0.7585
        // sigma): the approach and departure fixes of a walker, up to 40% of a young
        // candidate, lie farther out and barely move it, unlike the median.
        let sigma = scratch.isEmpty ? 0 : scratch[scratch.count / 4] / 0.7585
        let low = configuration.edgeRadiusMinMeters
        let edge = min(max(configuration.edgeSigmaFactor * sigma, low), max(low, radiusM / 3))
        return (east, north, edge)
    }

    /// Confirms the current candidate if its fixes within the edge radius span the minimum
    /// duration; emits `stop.start` with the arrival time.
    mutating func tryConfirm(confirmedAtMs: Int64, into events: inout [AnalyticsEvent]) {
        // Borrow the buffer (a copy would be copied again on write and allocate).
        var samples: [StaySample] = []
        swap(&samples, &current.samples)
        defer { swap(&samples, &current.samples) }
        let centre = robustCentre(of: samples)
        // The core runs from the first to the last pair of consecutive fixes within the edge
        // radius: a lone fix there (an outlier) neither starts nor extends it.
        func inEdge(_ i: Int) -> Bool {
            samples[i].distance(toEast: centre.east, north: centre.north) <= centre.edgeRadiusM
        }
        let pairs = samples.indices.dropLast()
        let first = pairs.first { inEdge($0) && inEdge($0 + 1) }
        let last = pairs.last { inEdge($0) && inEdge($0 + 1) }.map { $0 + 1 }
        guard let first, let last, samples[last].timeMs - samples[first].timeMs >= minDurationMs else {
            let arrival = first.map { samples[$0].timeMs } ?? confirmedAtMs
            current.nextCheckMs = max(confirmedAtMs + recheckMs, arrival + minDurationMs)
            return
        }
        // The stop's centre is now the mean of its fixes since the arrival (the approach is
        // dropped); with thinned samples, the samples' mean times the exact fix count.
        var sumEast = 0.0
        var sumNorth = 0.0
        for s in samples[first...] {
            sumEast += s.east
            sumNorth += s.north
        }
        let sampleCount = Double(samples.count - first)
        let fixCount = current.admitted - samples[first].sequence
        current.sumEast = sumEast / sampleCount * Double(fixCount)
        current.sumNorth = sumNorth / sampleCount * Double(fixCount)
        current.count = fixCount
        current.isConfirmed = true
        current.arrivalMs = samples[first].timeMs
        current.confirmedAtMs = confirmedAtMs
        current.edgeRadiusM = centre.edgeRadiusM
        (current.confirmedLatitudeE7, current.confirmedLongitudeE7) = frame.coordinate(
            east: centre.east, north: centre.north)
        for s in samples[max(first, samples.count - Stay.tailCapacity)...] { current.tail.append(s) }
        samples.removeAll(keepingCapacity: samples.capacity <= Stay.keptCapacity)
        events.append(
            AnalyticsEvent(
                kind: .stopStart, device: device, timeMs: current.arrivalMs, confirmedAtMs: confirmedAtMs,
                late: lastFixLate,
                attributes: [
                    EventAttribute(
                        "position",
                        .position(latitudeE7: current.confirmedLatitudeE7, longitudeE7: current.confirmedLongitudeE7)),
                    EventAttribute("fix_count", .int(Int64(fixCount))),
                ]))
        if confirmedAtMs - current.arrivalMs >= longStayMs {
            current.longStayEmitted = true
            emitLongStay(confirmedAtMs: confirmedAtMs, into: &events)
        }
    }

    mutating func emitLongStay(confirmedAtMs: Int64, into events: inout [AnalyticsEvent]) {
        let centre = frame.coordinate(east: current.centreEast, north: current.centreNorth)
        events.append(
            AnalyticsEvent(
                kind: .stopLongStay, device: device, timeMs: current.arrivalMs + longStayMs,
                confirmedAtMs: confirmedAtMs, late: lastFixLate,
                attributes: [
                    EventAttribute("started_at", .time(current.arrivalMs)),
                    EventAttribute("duration_s", .double(Double(longStayMs) / 1000)),
                    EventAttribute(
                        "position", .position(latitudeE7: centre.latitudeE7, longitudeE7: centre.longitudeE7)),
                ]))
    }

    /// Ends the current or the suspended stay: a candidate long enough is confirmed first; a
    /// stop gets its departure (the last fix within the edge radius of its recent centre) and
    /// emits `stop.end`. The stay is deactivated either way.
    mutating func end(
        suspended isSuspended: Bool, reason: Stop.EndReason, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]
    ) {
        if isSuspended { swap(&current, &suspended) }
        defer {
            current.deactivate()
            if isSuspended { swap(&current, &suspended) }
        }
        guard current.isActive else { return }
        if !current.isConfirmed {
            let otherIsStop = suspended.isActive && suspended.isConfirmed
            guard !otherIsStop, current.lastMs - current.firstMs >= minDurationMs else { return }
            tryConfirm(confirmedAtMs: confirmedAtMs, into: &events)
            guard current.isConfirmed else { return }
        }
        let stop = departure(reason: reason, confirmedAtMs: confirmedAtMs)
        stops.append(stop)
        var event = stop.endEvent
        event.late = lastFixLate
        events.append(event)
    }

    /// The ended stop of the current (confirmed) stay: departure, centroid and fix count
    /// without the fixes after the departure.
    private mutating func departure(reason: Stop.EndReason, confirmedAtMs: Int64) -> Stop {
        let tail = current.tail
        let windowStart = max(current.arrivalMs, current.lastMs - departureWindowMs)
        var firstInWindow = tail.endIndex - 1
        while firstInWindow > tail.startIndex && tail[firstInWindow - 1].timeMs >= windowStart { firstInWindow -= 1 }
        let centre = robustCentre(of: TailSlice(ring: tail, start: firstInWindow))
        // The last of the last pair of consecutive fixes within the edge radius.
        func inEdge(_ i: Int) -> Bool {
            tail[i].distance(toEast: centre.east, north: centre.north) <= centre.edgeRadiusM
        }
        var departure = tail.endIndex - 1
        while departure > firstInWindow && !(inEdge(departure) && inEdge(departure - 1)) { departure -= 1 }
        var sumEast = current.sumEast
        var sumNorth = current.sumNorth
        var count = current.count
        for i in (departure + 1)..<tail.endIndex where count > 1 {
            sumEast -= tail[i].east
            sumNorth -= tail[i].north
            count -= 1
        }
        let centroid = frame.coordinate(east: sumEast / Double(count), north: sumNorth / Double(count))
        return Stop(
            device: device, startMs: current.arrivalMs, endMs: tail[departure].timeMs,
            latitudeE7: centroid.latitudeE7, longitudeE7: centroid.longitudeE7, fixCount: count,
            confirmedAtMs: current.confirmedAtMs, endConfirmedAtMs: confirmedAtMs, endReason: reason)
    }
}

/// The samples of a ring from an absolute position to its end, as a collection.
struct TailSlice: RandomAccessCollection {
    let ring: TimeRing<StaySample>
    let start: Int
    var startIndex: Int { start }
    var endIndex: Int { ring.endIndex }
    subscript(position: Int) -> StaySample { ring[position] }
}
