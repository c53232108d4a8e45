import FieldtraceCore
import Testing

@testable import FieldtraceEngine

/// What keeps a shard's memory per device small: analyzer copies only for devices that sent late
/// data, and a cap on the fixes buffered until sealing over all devices.
@Suite struct MemoryBoundsTests {
    static let device = DeviceID("w1")!

    static func fix(_ timeMs: Int64, device: DeviceID = device) -> Fix {
        Fix(device: device, timeMs: timeMs, latitudeE7: 312_304_000, longitudeE7: 1_214_737_000)
    }

    /// Notes a day of fixes every 10 s into a ladder; returns the fix times of its analyzer copies.
    static func copies(keeping: Bool) -> [Int64] {
        let configuration = EngineConfiguration(shardCount: 1)
        var run = AnalysisRun<LatitudeLines>(device: device, setup: .init(), sessionGapMs: configuration.sessionGapMs)
        var ladder = SnapshotLadder<LatitudeLines>(AnalysisSnapshot(validAtMs: .min, analyzer: nil))
        var events: [EmittedEvent] = []
        for i in 1...8_640 {
            run.feed(fix(1_790_000_000_000 + Int64(i) * 10_000), into: &events)
            ladder.note(run, configuration: configuration, copies: keeping)
        }
        return ladder.snapshots.filter(\.hasAnalyzer).map(\.validAtMs)
    }

    @Test func aLadderWithoutCopiesHoldsOnlyItsFreeBases() {
        #expect(Self.copies(keeping: false).isEmpty)
        #expect(Self.copies(keeping: true).count == EngineConfiguration(shardCount: 1).maxSnapshots)
    }

    @Test func aDeviceKeepsCopiesOnceItSentLateData() {
        let configuration = EngineConfiguration(shardCount: 1)
        #expect(configuration.snapshotsOnlyAfterLateData)
        var state = DeviceState<LatitudeLines>(
            tenant: "t", run: AnalysisRun(device: Self.device, setup: .init(), sessionGapMs: 3_600_000),
            ladder: SnapshotLadder(AnalysisSnapshot(validAtMs: .min, analyzer: nil)), nowMs: 0)
        #expect(!state.sentLate)
        state.noteLate(1_000, nowMs: 5)
        #expect(state.sentLate)
    }

    /// Three devices buffered at engine times 0, 1 s and 2 s, 10 fixes each, none idle or old
    /// enough: a cap of 25 seals the oldest (down to 90% of the cap, 22), a cap of 5 the rest.
    @Test func bufferedFixesAboveTheCapSealTheDevicesBufferedLongest() throws {
        let filter = DuplicateFilter(capacity: 64)
        let devices = ["a", "b", "c"].map { DeviceID($0)! }
        for (k, device) in devices.enumerated() {
            let fixes = (0..<10).map { Self.fix(1_790_000_000_000 + Int64($0) * 1000, device: device) }
            let admission = try filter.admit(fixes, nowMs: Int64(k) * 1000)
            filter.complete(ticket: admission.ticket, devices: admission.ticketed)
        }
        #expect(filter.bufferedFixes == 30)
        let hour: Int64 = 3_600_000
        func due(cap: Int) -> [DeviceID] {
            filter.sealDue(nowMs: 2500, idleMs: hour, maxAgeMs: hour, evictAfterMs: hour, maxBufferedFixes: cap).seal
        }
        #expect(due(cap: 100).isEmpty)
        #expect(due(cap: 25) == [devices[0]])
        #expect(filter.bufferedFixes == 20)
        #expect(due(cap: 25).isEmpty)
        #expect(Set(due(cap: 5)) == Set(devices[1...]))
        #expect(filter.bufferedFixes == 0)
    }
}
