import FieldtraceCore

/// The query-string form (OsmAnd, Traccar Client and most phone apps), sent by GET or as a
/// POST form body:
///
/// | parameter | meaning |
/// | --- | --- |
/// | `id` or `deviceid` | device identity (required) |
/// | `timestamp` | Unix seconds, Unix milliseconds (> 10^11), or ISO 8601 (required) |
/// | `lat`, `lon` | decimal degrees, WGS-84 (required), converted exactly to 1e-7 degree |
/// | `speed` | knots, converted to m/s |
/// | `bearing` or `heading` | degrees |
/// | `altitude` | metres |
/// | `accuracy` | horizontal accuracy, metres |
/// | `hdop` | horizontal dilution of precision |
/// | `batt` | battery percent (not stored) |
/// | `valid` | `true`/`false`/`1`/`0`; valid when absent |
///
/// Names and values are percent-decoded (`+` is a space). Unknown parameters are ignored; a
/// repeated one takes its last value. An empty optional value means absent.
public enum OsmAndQueryForm {
    enum Key {
        case id, timestamp, latitude, longitude, speed, course, altitude, accuracy, hdop, valid, other
    }

    static func key(_ name: UnsafeRawBufferPointer) -> Key {
        switch name.count {
        case 2: if equal(name, "id") { return .id }
        case 3:
            if equal(name, "lat") { return .latitude }
            if equal(name, "lon") { return .longitude }
        case 4: if equal(name, "hdop") { return .hdop }
        case 5:
            if equal(name, "speed") { return .speed }
            if equal(name, "valid") { return .valid }
        case 7:
            if equal(name, "bearing") || equal(name, "heading") { return .course }
        case 8:
            if equal(name, "deviceid") { return .id }
            if equal(name, "altitude") { return .altitude }
            if equal(name, "accuracy") { return .accuracy }
        case 9: if equal(name, "timestamp") { return .timestamp }
        default: break
        }
        return .other
    }

    static func equal(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        JSONString.same(bytes, UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Parses a query string (without `?`). Identity problems take precedence over field
    /// problems, so the reason does not depend on parameter order. `scratch` and `timeScratch`
    /// are reusable buffers for percent-decoding and ISO 8601 timestamps.
    public static func parse(
        _ query: UnsafeRawBufferPointer, scratch: inout [UInt8], timeScratch: inout [UInt8]
    ) throws(OsmAndError) -> (device: DeviceID, position: OsmAndPosition) {
        var position = OsmAndPosition()
        var device: DeviceID?
        var identityError: OsmAndError?
        var fieldError: OsmAndError?
        var start = 0
        while start < query.count {
            var end = start
            while end < query.count, query[end] != UInt8(ascii: "&") { end += 1 }
            let pair = UnsafeRawBufferPointer(rebasing: query[start..<end])
            start = end + 1
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.count
            let name = UnsafeRawBufferPointer(rebasing: pair[..<equals])
            let value = UnsafeRawBufferPointer(rebasing: pair[min(equals + 1, pair.count)...])
            let which: Key
            if PercentDecoding.needsDecoding(name) {
                guard PercentDecoding.decode(name, into: &scratch) else { throw .badRequest("bad percent escape") }
                which = scratch.withUnsafeBytes { key($0) }
            } else {
                which = key(name)
            }
            guard which != .other else { continue }
            let result: Result<DeviceID?, OsmAndError>
            if PercentDecoding.needsDecoding(value) {
                guard PercentDecoding.decode(value, into: &scratch) else { throw .badRequest("bad percent escape") }
                result = scratch.withUnsafeBytes { apply(which, $0, to: &position, timeScratch: &timeScratch) }
            } else {
                result = apply(which, value, to: &position, timeScratch: &timeScratch)
            }
            switch result {
            case .success(let id?):
                device = id
                identityError = nil
            case .success(nil): break
            case .failure(let error) where which == .id:
                identityError = error
                device = nil
            case .failure(let error):
                if fieldError == nil { fieldError = error }
            }
        }
        if let identityError { throw identityError }
        guard let device else { throw .noIdentity }
        if let fieldError { throw fieldError }
        return (device, position)
    }

    /// Stores one parameter's value; returns the identity for `id`.
    static func apply(
        _ which: Key, _ value: UnsafeRawBufferPointer, to position: inout OsmAndPosition, timeScratch: inout [UInt8]
    ) -> Result<DeviceID?, OsmAndError> {
        do throws(OsmAndError) {
            switch which {
            case .id:
                guard let id = DeviceID(ascii: value) else { throw .badIdentity }
                return .success(id)
            case .timestamp:
                guard let time = OsmAndPosition.parseTime(value, isoBuffer: &timeScratch) else { throw .badTime }
                position.timeMs = time
            case .latitude: position.latitudeE7 = try coordinate(value, "latitude")
            case .longitude: position.longitudeE7 = try coordinate(value, "longitude")
            case .speed: position.speedMps = try number(value, "speed").map(Units.knotsToMetersPerSecond)
            case .course: position.courseDeg = try number(value, "bearing")
            case .altitude: position.altitudeM = try number(value, "altitude")
            case .accuracy: position.accuracyM = try number(value, "accuracy")
            case .hdop: position.hdop = try number(value, "hdop")
            case .valid: position.isValid = try flag(value)
            case .other: break
            }
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }

    /// Decimal degrees to 1e-7 degree, exact; the range is checked when the fix is built.
    static func coordinate(_ text: UnsafeRawBufferPointer, _ name: String) throws(OsmAndError) -> Int64 {
        guard let e7 = DecimalText.scaled(text, scale: 7, limit: 1 << 40, allowPlus: true) else {
            throw .badField(name)
        }
        return e7
    }

    /// An optional number: empty is absent, anything else must parse.
    static func number(_ text: UnsafeRawBufferPointer, _ name: String) throws(OsmAndError) -> Double? {
        guard !text.isEmpty else { return nil }
        guard let value = DecimalText.double(text, allowPlus: true) else { throw .badField(name) }
        return value
    }

    static func flag(_ text: UnsafeRawBufferPointer) throws(OsmAndError) -> Bool {
        if equal(text, "true") || equal(text, "1") { return true }
        if equal(text, "false") || equal(text, "0") { return false }
        throw .badField("valid")
    }
}
