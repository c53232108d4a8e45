import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Foundation
import Logging
import Synchronization
import Testing

/// A fresh directory under the system temp folder, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "delivery") {
        path = NSTemporaryDirectory() + "fieldtrace-\(label)-\(UInt64.random(in: 0...UInt64.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A data directory with a catalog, an event log and the webhook store.
final class TestData: Sendable {
    let directory: TemporaryDirectory
    let catalog: Catalog
    let log: EventLog
    let webhooks: WebhookStore

    init(directory: TemporaryDirectory = TemporaryDirectory(), logRows: Int = 1000) throws {
        self.directory = directory
        catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        log = try EventLog(catalog: catalog)
        webhooks = WebhookStore(catalog: catalog, logRowsPerWebhook: logRows)
    }

    /// Appends `count` events of `kind` for `device` of `tenant`; returns their ids.
    @discardableResult
    func append(
        _ count: Int, tenant: String = "t1", kind: String = "stop.start", device: String = "w1", detectedMs: Int64 = 0
    ) throws -> [Int64] {
        let id = DeviceID(device)!
        return try log.append(
            (0..<count).map { i in
                NewEvent(
                    tenant: tenant,
                    event: AnalyticsEvent(
                        kind: EventKind(kind), device: id, timeMs: 1_700_000_000_000 + Int64(i) * 1000,
                        confirmedAtMs: 1_700_000_000_000 + Int64(i) * 1000, subject: "site-1",
                        attributes: [.init("duration_s", .int(Int64(i)))]),
                    detectedMs: detectedMs, step: nil)
            })
    }
}

/// A clock whose sleeps return at once and move its time forward; records every sleep.
final class ManualClock: DeliveryClock {
    let state: Mutex<(nowMs: Int64, sleeps: [Duration])>

    init(nowMs: Int64 = 1_700_000_000_000) { state = Mutex((nowMs, [])) }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func nowMs() -> Int64 { state.withLock { $0.nowMs } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append(duration)
            let c = duration.components
            $0.nowMs += c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
        }
        await Task.yield()
    }
}

let testLogger = Logger(label: "fieldtrace.delivery.tests")

/// Polls `condition` every 10 ms until it holds or `seconds` pass (a hung test fails instead of
/// hanging). Not a timing assert: the bound is far above any expected time (a full parallel run on
/// two loaded cores can starve a test for minutes).
func eventually(seconds: Double = 300, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}

/// Expects `condition` to hold within `seconds` (see `eventually`).
func expectEventually(
    _ comment: Comment? = nil, seconds: Double = 300, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () throws -> Bool
) async throws {
    let held = try await eventually(seconds: seconds, condition)
    #expect(held, comment, sourceLocation: sourceLocation)
}
