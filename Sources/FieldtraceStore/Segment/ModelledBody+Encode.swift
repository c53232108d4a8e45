import FieldtraceCore

extension ModelledBody {
    /// Encodes canonicalised fixes (one device, strictly increasing time) as a modelled body.
    /// `columnBytes`, if given, is told the bytes written so far after the presence maps and
    /// units (slot nil) and after each column: for measuring.
    static func encode(_ fixes: [Fix], columnBytes: ((SegmentDecoder.Slot?, Int) -> Void)? = nil) -> [UInt8] {
        let n = fixes.count
        let slots = SegmentDecoder.Slot.allCases
        let stored: [[Int64?]] = slots.map { slot in fixes.map { storedValue($0, slot) } }
        var encoder = RangeEncoder(capacity: n * 4 + 64)

        for slot in slots where slot.rawValue >= SegmentDecoder.Slot.firstOptional {
            let present = stored[slot.rawValue].map { $0 != nil }
            if present.allSatisfy({ !$0 }) {
                encoder.direct(0, count: 2)
            } else if present.allSatisfy({ $0 }) {
                encoder.direct(1, count: 2)
            } else {
                encoder.direct(2, count: 2)
                var states = [AdaptiveBit.initial, AdaptiveBit.initial]
                var previous = false
                for p in present {
                    encoder.bit(p, &states[previous ? 1 : 0])
                    previous = p
                }
            }
        }
        var units = [Int](repeating: 0, count: slots.count)
        for slot in slots where slot.rawValue >= SegmentDecoder.Slot.firstOptional {
            let present = stored[slot.rawValue].compactMap { $0 }
            guard !present.isEmpty else { continue }
            units[slot.rawValue] = ColumnUnit.choose(present, candidates: unitCandidates(slot))
            encoder.direct(UInt64(units[slot.rawValue]), count: 4)
        }

        columnBytes?(nil, encoder.bytes.count)
        let time = stored[SegmentDecoder.Slot.time.rawValue].map { $0! }
        let velocities = (0..<n).map { i in
            MotionPrediction.Velocity(
                speed: stored[SegmentDecoder.Slot.speed.rawValue][i],
                course: stored[SegmentDecoder.Slot.course.rawValue][i])
        }
        var motion = MotionSteps(count: n)
        motion.compute(count: n, time: { time[$0] }, velocity: { velocities[$0] })
        let speed = stored[SegmentDecoder.Slot.speed.rawValue]
        let standing = (0..<n).map { i in i > 0 && speed[i] == 0 && speed[i - 1] == 0 }
        let latitudes = stored[SegmentDecoder.Slot.latitude.rawValue].map { $0! }

        var model = ResidualModel()
        for slot in codingOrder {
            var column = ModelledColumn(values: [], positions: [])
            for (i, v) in stored[slot.rawValue].enumerated() {
                guard let v else { continue }
                column.values.append(ColumnUnit.reduce(v, units[slot.rawValue]))
                column.positions.append(i)
            }
            guard !column.values.isEmpty else { continue }
            let job = ColumnJob(
                slot: slot, column: column, unit: units[slot.rawValue], standing: standing, motion: motion,
                latitudes: latitudes)
            var best: (transform: ModelledTransform, parameter: Int, cost: UInt64)?
            for transform in transforms(slot) where job.applies(transform) {
                for parameter in 0..<(transform == .motion ? 4 : 1) {
                    var meter = CostMeter()
                    job.code(transform, parameter: parameter, model: &model, into: &meter)
                    if best == nil || meter.cost < best!.cost { best = (transform, parameter, meter.cost) }
                }
            }
            encoder.direct(UInt64(best!.transform.rawValue), count: 3)
            if best!.transform == .motion { encoder.direct(UInt64(best!.parameter), count: 2) }
            job.code(best!.transform, parameter: best!.parameter, model: &model, into: &encoder)
            columnBytes?(slot, encoder.bytes.count)
        }
        return encoder.finish()
    }

    /// A fix's value in a slot, in storage units (as `SegmentDecoder` returns it before units).
    static func storedValue(_ fix: Fix, _ slot: SegmentDecoder.Slot) -> Int64? {
        switch slot {
        case .time: fix.timeMs
        case .latitude: Int64(fix.latitudeE7)
        case .longitude: Int64(fix.longitudeE7)
        case .flags: Int64(fix.flags.rawValue)
        case .source: Int64(fix.source.rawValue)
        case .lag: fix.receivedMs.map { $0 &- fix.timeMs }
        case .altitude: fix.altitudeM.map { StorageResolution.quantize($0, StorageResolution.altitudePerMeter) }
        case .speed: fix.speedMps.map { StorageResolution.quantize($0, StorageResolution.speedPerMeterPerSecond) }
        case .course: fix.courseDeg.map { StorageResolution.quantize($0, StorageResolution.coursePerDegree) }
        case .hdop: fix.hdop.map { StorageResolution.quantize($0, StorageResolution.hdopPerUnit) }
        case .accuracy: fix.accuracyM.map { StorageResolution.quantize($0, StorageResolution.accuracyPerMeter) }
        case .satellites: fix.satellites.map { Int64($0) }
        }
    }

    /// The circle a course column lives on, in its unit (36,000 hundredths of a degree, or
    /// 3,600 or 360 when stored in tenths or whole degrees); nil for other units.
    static func circle(unit: Int) -> Int64? {
        let scale = ColumnUnit.integral[unit]
        guard scale > 0, 36_000 % scale == 0 else { return nil }
        return 36_000 / scale
    }
}

/// One column to code, with what its transforms need.
struct ColumnJob {
    let slot: SegmentDecoder.Slot
    let column: ModelledColumn
    let unit: Int
    let standing: [Bool]
    let motion: MotionSteps
    let latitudes: [Int64]

    func applies(_ transform: ModelledTransform) -> Bool {
        let v = column.values
        switch transform {
        case .constant: return v.allSatisfy { $0 == v[0] }
        case .offset, .delta, .deltaOfDelta: return true
        case .circularDelta:
            guard slot == .course, let m = ModelledBody.circle(unit: unit) else { return false }
            return v.allSatisfy { $0 >= 0 && $0 < m }
        case .motion: return slot == .latitude || slot == .longitude
        case .regular: return v.count > 1 && zip(v, v.dropFirst()).allSatisfy { $1 &- $0 == v[1] &- v[0] }
        }
    }

    func code<S: BitSink>(
        _ transform: ModelledTransform, parameter: Int, model: inout ResidualModel, into sink: inout S
    ) {
        let v = column.values
        let m = v.count
        let head = ModelledBody.headContext
        model.reset(contexts: transform == .motion ? MotionPrediction.contexts + 1 : ModelledBody.genericContexts)
        model.probabilities.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            func put(_ r: Int64, _ context: Int) {
                ResidualModel.encode(r, context: context, probabilities: p, into: &sink)
            }
            func context(_ k: Int) -> Int { slot == .course && standing[column.positions[k]] ? 1 : 0 }
            switch transform {
            case .constant:
                put(v[0], head)
            case .regular:
                put(v[0], head)
                put(v[1] &- v[0], head)
            case .offset:
                let low = v.min()!
                put(low, head)
                for k in 0..<m { put(v[k] &- low, context(k)) }
            case .delta:
                put(v[0], head)
                for k in 1..<m { put(v[k] &- v[k - 1], context(k)) }
            case .deltaOfDelta:
                put(v[0], head)
                if m > 1 { put(v[1] &- v[0], head) }
                for k in stride(from: 2, to: m, by: 1) { put((v[k] &- v[k - 1]) &- (v[k - 1] &- v[k - 2]), context(k)) }
            case .circularDelta:
                let circle = ModelledBody.circle(unit: unit)!
                put(v[0], head)
                for k in 1..<m {
                    var d = v[k] - v[k - 1]
                    if d >= circle / 2 { d -= circle } else if d < -(circle / 2) { d += circle }
                    put(d, context(k))
                }
            case .motion:
                put(v[0], ModelledBody.motionHeadContext)
                var noise: Int64 = 0
                for i in 1..<m {
                    let base = v[i - 1] &+ motion.step(i, longitude: slot == .longitude, latitudes: latitudes)
                    let ar = noise.magnitude < ModelledBody.noiseLimitE7 ? (noise * Int64(parameter)) >> 2 : 0
                    put(v[i] &- (base &+ ar), motion.context[i])
                    noise = v[i] &- base
                }
            }
        }
    }
}
