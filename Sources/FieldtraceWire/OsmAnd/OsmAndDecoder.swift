import FieldtraceCore

/// OsmAnd-style HTTP position reports (protocols.md section 5). Each `consume` call is one
/// request: a query string (bare, after `?`, after a path, or as a whole request line
/// `GET /?id=... HTTP/1.1`) or a JSON body starting with `{`. Parsed from bytes, without
/// Foundation; see `OsmAndQueryForm` and `OsmAndJSONForm` for the fields.
///
/// Counting: each request is one frame. A query-form request is a fix or a rejection. A JSON
/// request that is malformed, too large or without a valid identity is one rejection; otherwise
/// each location of it is a fix or a rejection of its own (a batch with one bad position still
/// delivers the others), and an empty batch is ignored.
///
/// No replies: the HTTP layer answers 200 once the fixes are durable. Fixes are not flagged
/// late: apps queue positions while offline and send them later, which is normal here. No GPS
/// week-rollover correction either: phones report system time, not receiver time.
public struct OsmAndDecoder: WireDecoder {
    public static let wireProtocol = WireProtocol.osmand

    /// The identity of the last request that had a valid one.
    public private(set) var identity: DeviceID?
    let configuration: WireConfiguration
    /// Reused for percent-decoding and JSON string unescaping (grows to the longest value once).
    var scratch: [UInt8] = []
    /// Reused for ISO 8601 timestamps.
    var timeScratch: [UInt8] = []
    /// Reused for the locations of a JSON request.
    var positions: [OsmAndJSONForm.Outcome] = []
    /// The largest location buffer kept between requests: phones send batches of tens to a few
    /// hundred; a larger buffer is freed after its request rather than held by the decoder.
    static let keptPositions = 1024

    public init(configuration: WireConfiguration) {
        self.configuration = configuration
    }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedMs: Int64, into output: inout WireOutput) {
        output.counters.frames += 1
        let limit = configuration.limits.osmandRequestMaxBytes
        do throws(OsmAndError) {
            guard bytes.count <= limit else { throw .tooLong(bytes: bytes.count, limit: limit) }
            switch try OsmAndRequest.form(of: bytes) {
            case .query(let query):
                let (device, position) = try OsmAndQueryForm.parse(query, scratch: &scratch, timeScratch: &timeScratch)
                note(device, &output)
                output.appendFix(try position.fix(device: device, receivedMs: receivedMs))
            case .json(let body):
                let device = try OsmAndJSONForm.parse(
                    body, scratch: &scratch, timeScratch: &timeScratch, positions: &positions)
                note(device, &output)
                if positions.isEmpty { output.counters.ignored += 1 }
                for outcome in positions {
                    do throws(OsmAndError) {
                        output.appendFix(try outcome.get().fix(device: device, receivedMs: receivedMs))
                    } catch {
                        Self.reject(error, bytes, &output, kept: configuration.maxRejectionsKept)
                    }
                }
                // A huge batch (up to ~20,000 empty locations fit the request cap) is not kept.
                if positions.capacity > Self.keptPositions { positions = [] }
            }
        } catch {
            Self.reject(error, bytes, &output, kept: configuration.maxRejectionsKept)
        }
    }

    public mutating func finish(into output: inout WireOutput) {}

    mutating func note(_ device: DeviceID, _ output: inout WireOutput) {
        identity = device
        output.identity = device
    }

    static func reject(_ error: OsmAndError, _ bytes: UnsafeRawBufferPointer, _ output: inout WireOutput, kept: Int) {
        output.reject(
            WireError(error.reason, protocol: wireProtocol, offset: 0, bytes: bytes, detail: error.detail), limit: kept)
    }
}
