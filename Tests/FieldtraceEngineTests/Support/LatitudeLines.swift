import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceEngine

/// A stand-in analyzer with deterministic events that depend on the whole session so far: an
/// event each time a fix lies on another latitude line band than the previous fix (bands of
/// `spacingE7`), carrying the number of fixes since the session started; and at the end of a
/// session a summary with its first time and fix count. A wrong snapshot, a fix fed twice or
/// out of order, or a wrong session split changes the events.
struct LatitudeLines: DeviceAnalyzer {
    struct Setup: Sendable {
        var spacingE7: Int32 = 10_000  // 0.001 degree, about 111 m
    }

    static let crossing = EventKind("test.crossing")
    static let session = EventKind("test.session")

    let device: DeviceID
    let spacingE7: Int32
    var fixes = 0
    var band: Int32?
    var firstMs: Int64 = 0
    var lastMs: Int64 = 0

    init(device: DeviceID, setup: Setup) {
        self.device = device
        self.spacingE7 = setup.spacingE7
    }

    mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        if fixes == 0 { firstMs = fix.timeMs }
        fixes += 1
        lastMs = fix.timeMs
        let current = fix.latitudeE7 >= 0 ? fix.latitudeE7 / spacingE7 : (fix.latitudeE7 + 1) / spacingE7 - 1
        if let band, band != current {
            events.append(
                AnalyticsEvent(
                    kind: Self.crossing, device: device, timeMs: fix.timeMs, confirmedAtMs: fix.timeMs,
                    subject: "band-\(current)",
                    attributes: [.init("from_band", .int(Int64(band))), .init("session_fixes", .int(Int64(fixes)))]))
        }
        band = current
    }

    mutating func finish(into events: inout [AnalyticsEvent]) {
        guard fixes > 0 else { return }
        events.append(
            AnalyticsEvent(
                kind: Self.session, device: device, timeMs: firstMs, confirmedAtMs: lastMs,
                attributes: [.init("fixes", .int(Int64(fixes)))]))
    }
}
