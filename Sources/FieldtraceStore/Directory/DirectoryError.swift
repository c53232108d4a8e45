/// Why a directory operation was refused. The API maps these to HTTP statuses (404, 409, 400);
/// the message is meant for the caller and never names another tenant's data.
public enum DirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No such row in the caller's tenant (a row of another tenant is also "not found").
    case notFound(String)
    /// The write contradicts existing rows: an id taken, a group still referenced, a device
    /// registered to another tenant, a device with stored tracks.
    case conflict(String)
    /// The input is malformed: a bad id, name, time zone, schedule, GeoJSON, date or cursor.
    case invalid(String)

    public var message: String {
        switch self {
        case .notFound(let m), .conflict(let m), .invalid(let m): m
        }
    }

    public var description: String {
        switch self {
        case .notFound(let m): "not found: \(m)"
        case .conflict(let m): "conflict: \(m)"
        case .invalid(let m): "invalid: \(m)"
        }
    }
}
