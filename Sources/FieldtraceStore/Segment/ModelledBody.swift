import FieldtraceCore

/// The body of a version 2 segment: every column range-coded (`RangeEncoder`) with adaptive
/// models, no LZ4. Chosen for slow tracks (see `SegmentEncoder.modelledMinIntervalMs`), where a
/// fix carries GPS noise and motion that bit packing stores at whole-bit widths per block.
///
/// One range-coded stream, in this order:
/// 1. the presence of each optional column (lag, altitude, speed, course, HDOP, accuracy,
///    satellites): 2 bits (0 none, 1 all, 2 some), then for "some" one adaptive bit per fix
///    in the context of the previous fix's bit;
/// 2. for each optional column with values, its `ColumnUnit` index in 4 bits;
/// 3. the columns in `codingOrder` (speed and course before latitude and longitude, which are
///    predicted from them): a 3-bit `ModelledTransform`, its parameters, then one residual per
///    present value (`ResidualModel`).
enum ModelledBody {
    /// Slots in the order they are coded.
    static let codingOrder: [SegmentDecoder.Slot] = [
        .time, .flags, .source, .speed, .course, .latitude, .longitude, .lag, .altitude, .hdop, .accuracy, .satellites,
    ]

    /// The transforms the encoder tries for each slot (the decoder accepts only these).
    static func transforms(_ slot: SegmentDecoder.Slot) -> [ModelledTransform] {
        switch slot {
        case .time: [.regular, .deltaOfDelta, .delta]
        case .latitude, .longitude: [.motion, .delta, .deltaOfDelta]
        case .altitude: [.constant, .delta, .deltaOfDelta]
        case .course: [.constant, .circularDelta, .delta, .offset]
        case .flags, .source, .lag, .speed, .hdop, .accuracy, .satellites: [.constant, .offset, .delta]
        }
    }

    /// `transforms` of every slot, by raw value: what the decoder accepts, without allocating.
    static let allowedTransforms = SegmentDecoder.Slot.allCases.map(transforms)

    /// Unit candidates (`ColumnUnit` indices) of the optional slots, as in the packed body.
    static func unitCandidates(_ slot: SegmentDecoder.Slot) -> [Int] {
        switch slot {
        case .lag: [1, 2, 3]
        case .altitude, .course, .hdop, .accuracy: [1, 2]
        case .speed: [1, 2, 3, 4, 5, 6, 7, 8]
        default: []
        }
    }

    /// Residuals of a lat/lon motion prediction below this (1e-7 degree, about 2 m) are taken
    /// as GPS noise, which is correlated from one fix to the next and partly predicted; larger
    /// ones are motion the velocities missed, which is not. Part of the format.
    static let noiseLimitE7: Int64 = 200

    /// Contexts of a generic column: 0 for values, 1 standing (course only), 2 for the first
    /// values of a transform (whose size has nothing to do with the rest).
    static let headContext = 2
    static let genericContexts = 3
    /// The motion transform's head context comes after `MotionPrediction.contexts`.
    static let motionHeadContext = MotionPrediction.contexts
}

/// How a modelled column predicts each value; the residual (value minus prediction) is coded.
enum ModelledTransform: UInt8, CaseIterable {
    /// Every value equal: the value once.
    case constant = 0
    /// The column's minimum, then each value minus it (for values that jitter around a level,
    /// like the network delay).
    case offset = 1
    /// The previous value.
    case delta = 2
    /// The previous value plus the previous delta.
    case deltaOfDelta = 3
    /// The previous value on a circle (course: 359 to 1 degree is a change of 2 degrees).
    case circularDelta = 4
    /// Latitude and longitude: the previous fix moved by the mean reported velocity
    /// (`MotionPrediction`), plus a/4 of the previous fix's residual when it was GPS noise
    /// (`ModelledBody.noiseLimitE7`); a in 0...3 is coded in 2 bits after the transform.
    case motion = 5
    /// Every step equal (a tracker reporting on a fixed interval): the first value and the step.
    case regular = 6
}

/// The encoder's view of one column: the present values in fix order (reduced to the column's
/// unit) and the fix index of each.
struct ModelledColumn {
    var values: [Int64]
    var positions: [Int]
}
