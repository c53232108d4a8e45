import FieldtraceCore
import Synchronization

@testable import FieldtraceStore

/// A store in a temporary directory with a directory over its catalog, on a settable clock.
final class DirectoryFixture {
    let dir = TemporaryDirectory("directory")
    let store: TrackStore
    let clock: ManualClock
    let directory: Directory

    /// 2026-11-29T10:00:00Z.
    static let now: Int64 = 1_795_946_400_000

    init(nowMs: Int64 = DirectoryFixture.now) throws {
        store = try TrackStore(directory: dir.path)
        clock = ManualClock(nowMs)
        let clock = self.clock
        directory = Directory(catalog: store.catalog, nowMs: { clock.ms })
    }

    /// The fixture's clock as a closure.
    var nowMs: @Sendable () -> Int64 {
        let clock = self.clock
        return { clock.ms }
    }

    deinit {
        try? store.close()
        dir.remove()
    }

    static func circle(_ id: String?, lon: Double = 13.4, lat: Double = 52.5, radius: Double = 100, extra: String = "")
        -> [UInt8]
    {
        let idPart = id.map { #""id":"\#($0)","# } ?? ""
        return Array(
            #"{"type":"Feature",\#(idPart)"geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]},"properties":{"radius_m":\#(radius)\#(extra)}}"#
                .utf8)
    }

    static func line(_ id: String?, width: Double = 50, extra: String = "") -> [UInt8] {
        let idPart = id.map { #""id":"\#($0)","# } ?? ""
        return Array(
            #"{"type":"Feature",\#(idPart)"geometry":{"type":"LineString","coordinates":[[13.40,52.50],[13.45,52.50]]},"properties":{"width_m":\#(width)\#(extra)}}"#
                .utf8)
    }
}

/// A clock the test moves.
final class ManualClock: Sendable {
    private let value: Mutex<Int64>
    init(_ ms: Int64) { value = Mutex(ms) }
    var ms: Int64 { value.withLock { $0 } }
    func set(_ ms: Int64) { value.withLock { $0 = ms } }
}

/// The error a throwing call threw, as a `DirectoryError` (nil when it threw nothing or something else).
func directoryError(_ body: () throws -> some Any) -> DirectoryError? {
    do {
        _ = try body()
        return nil
    } catch let error as DirectoryError {
        return error
    } catch {
        return nil
    }
}

extension DirectoryError {
    var isNotFound: Bool { if case .notFound = self { true } else { false } }
    var isConflict: Bool { if case .conflict = self { true } else { false } }
    var isInvalid: Bool { if case .invalid = self { true } else { false } }
}
