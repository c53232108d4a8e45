import FieldtraceCore
import FieldtraceStore

/// Answers "where was this device at instant t" from the stored lossless track (see
/// `PositionEstimate` for the answers, `PositionModel` for the uncertainty).
///
/// Reads the fixes within `maxGapMs` on each side of the instant (one replay of at most two
/// gaps: a few segments), keeps the valid ones that are not flagged outliers, and takes the
/// nearest at or before and at or after. Only when one side has none does it ask the catalog
/// where the track begins and ends, to tell "before/after the track" from a long gap.
public struct PositionLocator: Sendable {
    public let store: TrackStore
    public var model: PositionModel

    public init(store: TrackStore, model: PositionModel = PositionModel()) {
        self.store = store
        self.model = model
    }

    /// Reads `at` (required; ISO 8601 or Unix ms) from query parameters.
    public static func instant(_ parameters: QueryParameters) throws(QueryError) -> Int64 {
        try parameters.time("at")
    }

    public func position(device: DeviceID, atMs: Int64) throws -> PositionEstimate {
        let from = atMs.subtractingReportingOverflow(model.maxGapMs)
        let to = atMs.addingReportingOverflow(model.maxGapMs)
        let fixes = try store.replay(
            device: device, from: from.overflow ? .min : from.partialValue, to: to.overflow ? .max : to.partialValue)
        var before: Fix?
        var after: Fix?
        for fix in fixes where fix.isValid && !fix.flags.contains(.outlier) {
            if fix.timeMs <= atMs {
                before = fix
            } else if after == nil {
                after = fix
                break
            }
        }
        return try estimate(device: device, atMs: atMs, before: before, after: after)
    }

    /// The answer from the nearest valid fixes around the instant (`before.timeMs <= atMs <
    /// after.timeMs`, each `nil` when none lies within `maxGapMs`).
    func estimate(device: DeviceID, atMs: Int64, before: Fix?, after: Fix?) throws -> PositionEstimate {
        var answer = PositionEstimate(device: device, atMs: atMs, status: .gap, before: before, after: after)
        if let before, before.timeMs == atMs {
            answer.status = .exact
            answer.latitudeE7 = before.latitudeE7
            answer.longitudeE7 = before.longitudeE7
            answer.radiusMeters = model.accuracyRadiusMeters(before)
            answer.after = before
            return answer
        }
        if let before, let after {
            guard after.timeMs - before.timeMs <= model.maxGapMs else { return answer }
            return model.interpolate(device: device, atMs: atMs, before: before, after: after)
        }
        guard let bounds = try store.fixTimeBounds(device: device) else {
            answer.status = .noTrack
            return answer
        }
        if atMs < bounds.lowerBound {
            answer.status = .beforeTrack
        } else if atMs > bounds.upperBound {
            answer.status = .afterTrack
        }
        return answer
    }
}
