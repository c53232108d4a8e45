import FieldtraceCore

/// `0x0704` batch location upload: item count (2), type (1: 0 normal batch, 1 blind-area
/// back-fill, positions stored while the terminal had no network), then `count` items of
/// length (2) + a `0x0200` location body.
///
/// The decoder reads the batch header, then one item at a time into a sub-cursor: no array of
/// items is built. Back-fill items become fixes flagged `late` and `backfill`.
public struct JT808BatchLocation: Sendable, Hashable {
    public static let messageID: UInt16 = 0x0704

    /// Items the terminal declares.
    public var count: UInt16
    /// 0 normal, 1 blind-area back-fill.
    public var type: UInt8

    /// Whether the items are a blind-area back-fill.
    public var isBackfill: Bool { type == 1 }

    /// Reads count and type; the type must be 0 or 1.
    public static func readHeader(_ cursor: inout ByteCursor) throws(JT808Error) -> JT808BatchLocation {
        let batch: JT808BatchLocation
        do throws(ByteCursorError) {
            batch = JT808BatchLocation(count: try cursor.readUInt16(), type: try cursor.readUInt8())
        } catch {
            throw .overrun(error)
        }
        guard batch.type <= 1 else { throw .badBatchType(batch.type) }
        return batch
    }

    /// Reads the next item's length and returns a cursor over its location body.
    public static func nextItem(_ cursor: inout ByteCursor) throws(JT808Error) -> ByteCursor {
        do throws(ByteCursorError) {
            let length = Int(try cursor.readUInt16())
            return try cursor.subCursor(length)
        } catch {
            throw .overrun(error)
        }
    }
}
