import FieldtraceCore
import Foundation
import GRDB
import Synchronization

/// Who and what a tenant tracks: groups (with a time zone and a weekly shift schedule), device
/// metadata, geofences, planned routes and their assignments. Tables of the catalog (migration
/// "v5: directory"); every read and write names its tenant, and a row of another tenant is
/// "not found" (never "forbidden", never its data).
///
/// Lists are pages in id order with an opaque cursor (`PageRequest`, `DirectoryPage`). Writes
/// are single transactions; after each one, observers (`observeChanges`) hear the tenant, which
/// is how analytics setups (`DirectorySetups`) are rebuilt and the engine refreshed.
public final class Directory: Sendable {
    /// Longest id of a group, geofence or route, and of a tenant: the same bound as a device id,
    /// so every id fits a log line, a URL segment and a file name.
    public static let maxIDBytes = Limits.deviceIDMaxBytes
    /// Longest name or device kind, UTF-8 bytes: room for any human label, none for a document.
    public static let maxNameBytes = 200
    /// Largest GeoJSON Feature of a geofence or route, bytes: 1 MiB holds a polygon or line of
    /// about 30,000 positions, far more than any site or road plan; larger is almost surely a
    /// mistake (a whole map layer) and would slow every setup rebuild.
    public static let maxFeatureBytes = 1 << 20

    let catalog: Catalog
    let nowMs: @Sendable () -> Int64
    private let observers = Mutex<[@Sendable (String) -> Void]>([])

    /// - Parameters:
    ///   - catalog: the store's catalog (its migrations include the directory's tables).
    ///   - nowMs: the clock for `created_ms` and `updated_ms`, ms UTC (injected for tests).
    public init(catalog: Catalog, nowMs: @escaping @Sendable () -> Int64 = Directory.wallClockMs) {
        self.catalog = catalog
        self.nowMs = nowMs
    }

    /// The system clock, ms UTC.
    public static let wallClockMs: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Calls `body(tenant)` after every committed write of a tenant's rows, in the writer's
    /// thread, in registration order. Observers must be quick and must not write to the directory.
    public func observeChanges(_ body: @escaping @Sendable (_ tenant: String) -> Void) {
        observers.withLock { $0.append(body) }
    }

    /// Tells every observer that `tenant`'s rows changed (also used when the day rolls over).
    public func notifyChanged(tenant: String) {
        for observer in observers.withLock({ $0 }) { observer(tenant) }
    }

    /// Runs a write transaction, then notifies observers of `tenant`.
    func write<T>(tenant: String, _ body: (Database) throws -> T) throws -> T {
        let result = try catalog.pool.write(body)
        notifyChanged(tenant: tenant)
        return result
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try catalog.pool.read(body)
    }
}

// MARK: Validation

extension Directory {
    /// A tenant name: 1...`maxIDBytes` bytes of printable ASCII without spaces.
    static func checkTenant(_ tenant: String) throws(DirectoryError) {
        guard DeviceID.isValid(tenant.utf8) else {
            throw .invalid("tenant must be 1...\(maxIDBytes) printable ASCII characters without spaces")
        }
    }

    /// An id of a group, geofence or route: 1...`maxIDBytes` of `A-Z a-z 0-9 - . _ ~ : @`, so it
    /// is a URL path segment without escaping.
    static func checkID(_ id: String, what: String) throws(DirectoryError) {
        let bytes = id.utf8
        let allowed = bytes.allSatisfy { b in
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                true
            default: false
            }
        }
        guard !bytes.isEmpty, bytes.count <= maxIDBytes, allowed else {
            throw .invalid("\(what) id must be 1...\(maxIDBytes) characters of A-Z a-z 0-9 - . _ ~ : @")
        }
    }

    /// A device id as trackers send it (`DeviceID`).
    static func deviceID(_ text: String) throws(DirectoryError) -> DeviceID {
        guard let id = DeviceID(text) else {
            throw .invalid("device id must be 1...\(maxIDBytes) printable ASCII characters without spaces")
        }
        return id
    }

    /// A name or label: 1...`maxNameBytes` UTF-8 bytes, no control characters.
    static func checkName(_ name: String, what: String) throws(DirectoryError) {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxNameBytes,
            !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw .invalid("\(what) must be 1...\(maxNameBytes) bytes of text without control characters")
        }
    }

    /// A fresh id: `prefix` and 16 random hex digits (64 bits: no collision in practice; a
    /// collision would be reported as a conflict, never overwrite).
    static func generateID(prefix: String) -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Reads one page: `fetch(after, count)` returns up to `count` items with keys greater than
    /// `after` (nil: from the start) in key order.
    static func page<Item>(
        _ request: PageRequest, key: (Item) -> String, fetch: (String?, Int) throws -> [Item]
    ) throws -> DirectoryPage<Item> {
        guard request.limit >= 1, request.limit <= PageRequest.maxLimit else {
            throw DirectoryError.invalid("limit must be 1...\(PageRequest.maxLimit)")
        }
        let after = try request.cursor.map { (c) throws(DirectoryError) in try DirectoryCursor.decode(c) }
        var items = try fetch(after, request.limit + 1)
        var next: String?
        if items.count > request.limit {
            items.removeLast(items.count - request.limit)
            next = items.last.map { DirectoryCursor.encode(key($0)) }
        }
        return DirectoryPage(items: items, nextCursor: next)
    }
}
