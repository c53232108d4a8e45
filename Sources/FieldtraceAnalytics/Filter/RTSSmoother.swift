import FieldtraceCore

/// Rauch-Tung-Striebel smoother for a whole track: the `KalmanTracker` run forward, then a
/// backward pass that lets every fix's estimate use the fixes after it as well.
///
/// Forward, each step stores its predicted and filtered means and covariances in one flat
/// buffer (16 doubles per fix, reused between calls: no allocation per fix, none at all once
/// the buffers are large enough). Backward, per segment, with the smoother gain
/// C_k = Pf_k F^T Pp_{k+1}^-1:
///     xs_k = xf_k + C_k (xs_{k+1} - xp_{k+1}),   Ps_k = Pf_k + C_k (Ps_{k+1} - Pp_{k+1}) C_k^T.
/// As in the tracker, east and north share one 2x2 covariance, so C_k is one 2x2 matrix applied
/// to both axes; the algebra is written out by hand.
///
/// Segments: the state restarts at a gap longer than `maxGapMs` and after a run of gated-out
/// fixes; each segment is smoothed on its own (no information flows across a restart). On a
/// reset after rejections the smoother, unlike the online filter, restarts the segment at the
/// *first* fix of the rejected run and filters the run again, since those fixes were right and
/// the prediction wrong. Each restart point is later than the previous one, so this ends.
/// Plane changes (`reanchorDistanceM`) need no special care: the backward pass only adds
/// differences of positions of the same step, which are the same vector in either plane.
///
/// Output: one `KalmanEstimate` per input fix, same order, with the forward pass's status
/// (gated-out and skipped fixes get the smoothed position at their time). O(n) time, O(n) memory.
public struct RTSSmoother: Sendable {
    public let configuration: KalmanTracker.Configuration

    /// Per step: filtered e, n, ve, vn, p00, p01, p11 (0-6), predicted e, n, ve, vn, p00, p01,
    /// p11 (7-13), prediction step in seconds (14), unused (15).
    private var steps: [Double] = []
    /// Per step: 0 = no state (output is the raw fix), 1 = segment start, 2 = continues the segment.
    private var kinds: [UInt8] = []
    private var statuses: [KalmanStatus] = []
    /// Tangent planes, each with the first step that uses it.
    private var planes: [(start: Int, plane: LocalTangentPlane)] = []

    static let stride = 16

    public init(configuration: KalmanTracker.Configuration = .init()) {
        self.configuration = configuration
        planes.reserveCapacity(64)
    }

    /// Smooths a device's fixes (time order) into `output`, replacing its contents: one estimate
    /// per fix. Reuses this smoother's buffers and `output`'s capacity.
    public mutating func smooth(_ fixes: [Fix], into output: inout [KalmanEstimate]) {
        let n = fixes.count
        output.removeAll(keepingCapacity: true)
        guard n > 0 else { return }
        if steps.count < n * Self.stride {
            steps = [Double](repeating: 0, count: n * Self.stride)
            kinds = [UInt8](repeating: 0, count: n)
            statuses = [KalmanStatus](repeating: .skipped, count: n)
        }
        planes.removeAll(keepingCapacity: true)
        let configuration = configuration
        fixes.withUnsafeBufferPointer { fixes in
            steps.withUnsafeMutableBufferPointer { steps in
                kinds.withUnsafeMutableBufferPointer { kinds in
                    statuses.withUnsafeMutableBufferPointer { statuses in
                        Self.forward(
                            fixes, configuration: configuration, steps: steps, kinds: kinds, statuses: statuses,
                            planes: &planes)
                    }
                }
            }
        }
        output.append(
            contentsOf: repeatElement(
                KalmanEstimate(
                    timeMs: 0, latitudeE7: 0, longitudeE7: 0, eastVelocityMps: 0, northVelocityMps: 0,
                    positionSigmaM: 0, status: .skipped),
                count: n))
        fixes.withUnsafeBufferPointer { fixes in
            output.withUnsafeMutableBufferPointer { out in
                backward(fixes, into: out)
            }
        }
    }

    private static func forward(
        _ fixes: UnsafeBufferPointer<Fix>, configuration: KalmanTracker.Configuration,
        steps s: UnsafeMutableBufferPointer<Double>, kinds: UnsafeMutableBufferPointer<UInt8>,
        statuses: UnsafeMutableBufferPointer<KalmanStatus>, planes: inout [(start: Int, plane: LocalTangentPlane)]
    ) {
        var tracker = KalmanTracker(configuration: configuration)
        var generation = tracker.planeGeneration
        var runStart = -1
        var restartAt = -1
        var i = 0
        let n = fixes.count
        while i < n {
            let status: KalmanStatus
            if i == restartAt {
                tracker.start(at: fixes[i])
                status = .started
                restartAt = -1
            } else {
                status = tracker.step(fixes[i])
            }
            switch status {
            case .reset where runStart >= 0 && runStart < i:
                // Filter the rejected run again from its first fix.
                while let last = planes.last, last.start >= runStart { planes.removeLast() }
                restartAt = runStart
                i = runStart
                runStart = -1
                continue
            case .gatedOut:
                if runStart < 0 { runStart = i }
            case .started, .updated, .reset:
                runStart = -1
            case .skipped:
                break
            }
            if tracker.planeGeneration != generation {
                generation = tracker.planeGeneration
                planes.append((i, tracker.plane))
            }
            statuses[i] = status
            kinds[i] = !tracker.hasState ? 0 : (status == .started || status == .reset ? 1 : 2)
            let base = i * stride
            s[base] = tracker.east
            s[base + 1] = tracker.north
            s[base + 2] = tracker.eastVelocity
            s[base + 3] = tracker.northVelocity
            s[base + 4] = tracker.p00
            s[base + 5] = tracker.p01
            s[base + 6] = tracker.p11
            s[base + 7] = tracker.predicted.east
            s[base + 8] = tracker.predicted.north
            s[base + 9] = tracker.predicted.eastVelocity
            s[base + 10] = tracker.predicted.northVelocity
            s[base + 11] = tracker.predictedP.p00
            s[base + 12] = tracker.predictedP.p01
            s[base + 13] = tracker.predictedP.p11
            s[base + 14] = tracker.stepSeconds
            i += 1
        }
    }

    private func backward(_ fixes: UnsafeBufferPointer<Fix>, into out: UnsafeMutableBufferPointer<KalmanEstimate>) {
        let n = fixes.count
        var cursor = planes.count - 1
        var se = 0.0
        var sn = 0.0
        var sve = 0.0
        var svn = 0.0
        var s00 = 0.0
        var s01 = 0.0
        var s11 = 0.0
        steps.withUnsafeBufferPointer { s in
            kinds.withUnsafeBufferPointer { kinds in
                for k in Swift.stride(from: n - 1, through: 0, by: -1) {
                    let fix = fixes[k]
                    guard kinds[k] != 0 else {
                        out[k] = KalmanEstimate(
                            timeMs: fix.timeMs, latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7,
                            eastVelocityMps: 0, northVelocityMps: 0, positionSigmaM: .infinity, status: statuses[k])
                        continue
                    }
                    let b = k * Self.stride
                    let f00 = s[b + 4]
                    let f01 = s[b + 5]
                    let f11 = s[b + 6]
                    if k + 1 < n && kinds[k + 1] == 2 {
                        let nb = b + Self.stride
                        let dt = s[nb + 14]
                        // A = Pf F^T, C = A Pp^-1 (Pp symmetric 2x2).
                        let a00 = f00 + dt * f01
                        let a10 = f01 + dt * f11
                        let q00 = s[nb + 11]
                        let q01 = s[nb + 12]
                        let q11 = s[nb + 13]
                        let inverseDeterminant = 1 / (q00 * q11 - q01 * q01)
                        let i00 = q11 * inverseDeterminant
                        let i01 = -q01 * inverseDeterminant
                        let i11 = q00 * inverseDeterminant
                        let c00 = a00 * i00 + f01 * i01
                        let c01 = a00 * i01 + f01 * i11
                        let c10 = a10 * i00 + f11 * i01
                        let c11 = a10 * i01 + f11 * i11
                        let de = se - s[nb + 7]
                        let dn = sn - s[nb + 8]
                        let dve = sve - s[nb + 9]
                        let dvn = svn - s[nb + 10]
                        se = s[b] + c00 * de + c01 * dve
                        sn = s[b + 1] + c00 * dn + c01 * dvn
                        sve = s[b + 2] + c10 * de + c11 * dve
                        svn = s[b + 3] + c10 * dn + c11 * dvn
                        let d00 = s00 - q00
                        let d01 = s01 - q01
                        let d11 = s11 - q11
                        let m00 = c00 * d00 + c01 * d01
                        let m01 = c00 * d01 + c01 * d11
                        let m10 = c10 * d00 + c11 * d01
                        let m11 = c10 * d01 + c11 * d11
                        s00 = f00 + m00 * c00 + m01 * c01
                        s01 = f01 + m00 * c10 + m01 * c11
                        s11 = f11 + m10 * c10 + m11 * c11
                    } else {
                        se = s[b]
                        sn = s[b + 1]
                        sve = s[b + 2]
                        svn = s[b + 3]
                        s00 = f00
                        s01 = f01
                        s11 = f11
                    }
                    while planes[cursor].start > k { cursor -= 1 }
                    let position = KalmanTracker.coordinates(planes[cursor].plane, east: se, north: sn)
                    out[k] = KalmanEstimate(
                        timeMs: fix.timeMs, latitudeE7: position.latitudeE7, longitudeE7: position.longitudeE7,
                        eastVelocityMps: sve, northVelocityMps: svn, positionSigmaM: max(s00, 0).squareRoot(),
                        status: statuses[k])
                }
            }
        }
    }
}

extension RTSSmoother {
    /// Smooths a device's fixes (time order) with a fresh smoother: one estimate per fix.
    public static func smooth(_ fixes: [Fix], configuration: KalmanTracker.Configuration = .init()) -> [KalmanEstimate]
    {
        var smoother = RTSSmoother(configuration: configuration)
        var out: [KalmanEstimate] = []
        smoother.smooth(fixes, into: &out)
        return out
    }
}
