import FieldtraceCore

/// Reusable buffers of the modelled body decoder, kept by `SegmentDecoder` between segments.
struct ModelledScratch {
    var model = ResidualModel()
    var motion = MotionSteps(count: 0)
    /// Per slot: how many fixes have a value, and the value's unit.
    var presentCount = [Int](repeating: 0, count: SegmentDecoder.Slot.allCases.count)
    var units = [Int](repeating: 0, count: SegmentDecoder.Slot.allCases.count)
}

extension ModelledBody {
    /// Decodes a modelled body of `n` fixes into the decoder's slot layout: `columns` holds
    /// `Slot.allCases.count` runs of `n` values, `presence` the optional slots' bitmaps of
    /// `(n + 7) / 8` bytes (see `SegmentDecoder`). Absent values are left as they were.
    /// Corrupt input ends in an error or in wrong values, never in a trap.
    static func decode(
        count n: Int, body: UnsafeRawBufferPointer, columns: UnsafeMutablePointer<Int64>,
        presence: UnsafeMutablePointer<UInt8>, scratch: inout ModelledScratch
    ) throws(PackingError) {
        var decoder = RangeDecoder(body)
        let bitmapBytes = (n + 7) / 8
        let slotCount = SegmentDecoder.Slot.allCases.count
        let firstOptional = SegmentDecoder.Slot.firstOptional
        for slot in 0..<slotCount {
            scratch.presentCount[slot] = n
            scratch.units[slot] = 0
        }
        for slot in firstOptional..<slotCount {
            let map = presence + (slot - firstOptional) * bitmapBytes
            switch decoder.direct(count: 2) {
            case 0:
                for k in 0..<bitmapBytes { map[k] = 0 }
                scratch.presentCount[slot] = 0
            case 1:
                for k in 0..<bitmapBytes { map[k] = 0xFF }
            case 2:
                var states = (AdaptiveBit.initial, AdaptiveBit.initial)
                var previous = false
                var byte: UInt8 = 0
                var m = 0
                for i in 0..<n {
                    let p = previous ? decoder.bit(&states.1) : decoder.bit(&states.0)
                    if p {
                        byte |= 1 << UInt8(i & 7)
                        m += 1
                    }
                    if i & 7 == 7 || i == n - 1 {
                        map[i >> 3] = byte
                        byte = 0
                    }
                    previous = p
                }
                scratch.presentCount[slot] = m
            default:
                throw .malformed("presence mode")
            }
        }
        for slot in firstOptional..<slotCount where scratch.presentCount[slot] > 0 {
            let unit = Int(decoder.direct(count: 4))
            guard unit < ColumnUnit.table.count else { throw .malformed("unit") }
            scratch.units[slot] = unit
        }

        var motionReady = false
        for slot in codingOrder where scratch.presentCount[slot.rawValue] > 0 {
            guard let transform = ModelledTransform(rawValue: UInt8(decoder.direct(count: 3))),
                allowedTransforms[slot.rawValue].contains(transform)
            else { throw .malformed("transform of \(slot)") }
            let parameter = transform == .motion ? Int(decoder.direct(count: 2)) : 0
            let column = columns + slot.rawValue * n
            let map: UnsafePointer<UInt8>? =
                slot.rawValue >= firstOptional && scratch.presentCount[slot.rawValue] < n
                ? UnsafePointer(presence + (slot.rawValue - firstOptional) * bitmapBytes) : nil
            if transform == .motion {
                if !motionReady { prepareMotion(count: n, columns: columns, presence: presence, scratch: &scratch) }
                motionReady = true
                decodeMotion(
                    count: n, longitude: slot == .longitude, parameter: parameter, columns: columns, column: column,
                    scratch: &scratch, from: &decoder)
                continue
            }
            var modulus: Int64 = 0
            if transform == .circularDelta {
                guard let c = circle(unit: scratch.units[slot.rawValue]) else { throw .malformed("circular unit") }
                modulus = c
            }
            // Course is coded in the context of standing (speed zero at this fix and the one before).
            let speed = SegmentDecoder.Slot.speed.rawValue
            let standing =
                slot == .course
                ? (UnsafePointer(columns + speed * n), UnsafePointer(presence + (speed - firstOptional) * bitmapBytes))
                : nil
            decodeGeneric(
                count: n, transform: transform, circle: modulus, map: map, standingSpeed: standing, column: column,
                scratch: &scratch, from: &decoder)
            let unit = scratch.units[slot.rawValue]
            if unit != 0 {
                for i in 0..<n where map == nil || map![i >> 3] & (1 << UInt8(i & 7)) != 0 {
                    column[i] = ColumnUnit.expand(column[i], unit)
                }
            }
        }
        guard !decoder.overran else { throw .truncated(offset: body.count) }
        guard decoder.consumed == body.count else {
            throw .malformed("\(body.count - decoder.consumed) bytes after the columns")
        }
    }

    /// A generic column: values at the fixes present in `map` (all when nil), in fix order.
    private static func decodeGeneric(
        count n: Int, transform: ModelledTransform, circle: Int64, map: UnsafePointer<UInt8>?,
        standingSpeed: (values: UnsafePointer<Int64>, map: UnsafePointer<UInt8>)?, column: UnsafeMutablePointer<Int64>,
        scratch: inout ModelledScratch,
        from decoder: inout RangeDecoder
    ) {
        scratch.model.reset(contexts: genericContexts)
        scratch.model.probabilities.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            let first = ResidualModel.decode(context: headContext, probabilities: p, from: &decoder)
            var k = 0  // index among present values
            var previous: Int64 = 0
            var previousDelta: Int64 = 0
            for i in 0..<n {
                if let map, map[i >> 3] & (1 << UInt8(i & 7)) == 0 { continue }
                var context = 0
                if let (speed, speedMap) = standingSpeed, i > 0, speedMap[i >> 3] & (1 << UInt8(i & 7)) != 0,
                    speedMap[(i - 1) >> 3] & (1 << UInt8((i - 1) & 7)) != 0, speed[i] == 0, speed[i - 1] == 0
                {
                    context = 1
                }
                let value: Int64
                switch transform {
                case .constant:
                    value = first
                case .regular:
                    if k == 1 {
                        previousDelta = ResidualModel.decode(context: headContext, probabilities: p, from: &decoder)
                    }
                    value = k == 0 ? first : previous &+ previousDelta
                case .offset:
                    value = first &+ ResidualModel.decode(context: context, probabilities: p, from: &decoder)
                case .delta:
                    value =
                        k == 0
                        ? first : previous &+ ResidualModel.decode(context: context, probabilities: p, from: &decoder)
                case .deltaOfDelta:
                    if k == 0 {
                        value = first
                    } else if k == 1 {
                        previousDelta = ResidualModel.decode(context: headContext, probabilities: p, from: &decoder)
                        value = previous &+ previousDelta
                    } else {
                        previousDelta =
                            previousDelta &+ ResidualModel.decode(context: context, probabilities: p, from: &decoder)
                        value = previous &+ previousDelta
                    }
                case .circularDelta:
                    if k == 0 {
                        value = first
                    } else {
                        let r = ResidualModel.decode(context: context, probabilities: p, from: &decoder)
                        value = ((previous &+ r) % circle + circle) % circle
                    }
                case .motion:
                    value = 0  // not generic
                }
                column[i] = value
                previous = value
                k += 1
            }
        }
    }

    /// The motion steps from the decoded time, speed and course columns (in storage units).
    private static func prepareMotion(
        count n: Int, columns: UnsafeMutablePointer<Int64>, presence: UnsafeMutablePointer<UInt8>,
        scratch: inout ModelledScratch
    ) {
        typealias Slot = SegmentDecoder.Slot
        let bitmapBytes = (n + 7) / 8
        let time = columns + Slot.time.rawValue * n
        let speed = columns + Slot.speed.rawValue * n
        let course = columns + Slot.course.rawValue * n
        let speedMap = presence + (Slot.speed.rawValue - Slot.firstOptional) * bitmapBytes
        let courseMap = presence + (Slot.course.rawValue - Slot.firstOptional) * bitmapBytes
        scratch.motion.reset(count: n)
        scratch.motion.compute(count: n, time: { time[$0] }) { i in
            let bit = UInt8(1) << UInt8(i & 7)
            return MotionPrediction.Velocity(
                speed: speedMap[i >> 3] & bit != 0 ? speed[i] : nil,
                course: courseMap[i >> 3] & bit != 0 ? course[i] : nil)
        }
    }

    private static func decodeMotion(
        count n: Int, longitude: Bool, parameter: Int, columns: UnsafeMutablePointer<Int64>,
        column v: UnsafeMutablePointer<Int64>, scratch: inout ModelledScratch, from decoder: inout RangeDecoder
    ) {
        let latitudes = UnsafePointer(columns + SegmentDecoder.Slot.latitude.rawValue * n)
        scratch.model.reset(contexts: MotionPrediction.contexts + 1)
        let motion = scratch.motion
        scratch.model.probabilities.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            v[0] = ResidualModel.decode(context: motionHeadContext, probabilities: p, from: &decoder)
            var noise: Int64 = 0
            for i in stride(from: 1, to: n, by: 1) {
                let step =
                    longitude
                    ? MotionPrediction.longitudeUnits(eastUm: motion.eastUm[i], latitudeE7: latitudes[i - 1])
                    : motion.north[i]
                let base = v[i - 1] &+ step
                let ar = noise.magnitude < noiseLimitE7 ? (noise * Int64(parameter)) >> 2 : 0
                let r = ResidualModel.decode(context: motion.context[i], probabilities: p, from: &decoder)
                v[i] = base &+ ar &+ r
                noise = v[i] &- base
            }
        }
    }
}
