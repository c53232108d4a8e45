/// What can go wrong inside the OsmAnd parsers. Thrown with typed throws and mapped to a
/// `RejectReason` and a `WireError` at the decoder boundary.
public enum OsmAndError: Error, Sendable, Hashable {
    /// A request larger than `osmandRequestMaxBytes`.
    case tooLong(bytes: Int, limit: Int)
    /// An empty request, a bad `%XX` escape, or a request line that is not one.
    case badRequest(String)
    /// JSON that is not well formed (or nested deeper than the cap), at a byte offset.
    case malformedJSON(offset: Int, String)
    /// No `id`/`deviceid` (query) or `device_id` (JSON).
    case noIdentity
    /// An identity that is not a valid `DeviceID`.
    case badIdentity
    /// A required field that is missing (`lat`, `lon`, `location`, ...).
    case missingField(String)
    /// A field that is not a number (or boolean) where one is required, or out of range.
    case badField(String)
    /// A timestamp that is missing, unparseable or outside 1999-08-22 ... 2100-01-01.
    case badTime

    /// The shared reject reason (counter label).
    public var reason: RejectReason {
        switch self {
        case .tooLong: .tooLong
        case .badRequest, .malformedJSON: .badFraming
        case .noIdentity: .noIdentity
        case .badIdentity: .badIdentity
        case .missingField, .badField: .badField
        case .badTime: .badTime
        }
    }

    /// A human-readable detail for logs.
    public var detail: String {
        switch self {
        case .tooLong(let bytes, let limit): "request of \(bytes) bytes exceeds the cap of \(limit)"
        case .badRequest(let what): what
        case .malformedJSON(let offset, let what): "malformed JSON at byte \(offset): \(what)"
        case .noIdentity: "no device id"
        case .badIdentity: "device id is not 1-64 printable ASCII characters"
        case .missingField(let name): "missing \(name)"
        case .badField(let name): "bad \(name)"
        case .badTime: "missing or invalid timestamp"
        }
    }
}
