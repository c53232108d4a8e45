import FieldtraceCore

/// The JSON body form (background-geolocation apps):
///
/// ```json
/// {"device_id": "phone-7",
///  "location": {"timestamp": "2026-11-28T08:00:00.000Z",
///               "coords": {"latitude": 31.2304, "longitude": 121.4737, "speed": 4.2,
///                          "heading": 90, "altitude": 12, "accuracy": 5},
///               "battery": {"level": 0.8, "is_charging": false}, "is_moving": true}}
/// ```
///
/// `location` may also be an array of such objects: a queued batch, oldest first, each its own
/// fix. `timestamp` is ISO 8601 or a number (seconds, or milliseconds above 10^11); `speed`
/// is m/s and `heading` degrees, a negative value of either meaning unknown (absent);
/// `null` means absent for every optional value. `battery`, `is_moving` and other members are
/// read past (validated, not stored). `device_id` may come before or after `location`.
public struct OsmAndJSONForm {
    public var device: DeviceID
    /// The validated `location` value (an object or an array), borrowed from the request.
    public var location: UnsafeRawBufferPointer

    /// Validates the whole document and finds the identity and the location value. A malformed
    /// document fails as a whole (`malformedJSON`); so do a missing or invalid `device_id` and
    /// a missing `location`.
    public static func parse(_ body: UnsafeRawBufferPointer, scratch: inout [UInt8]) throws(OsmAndError)
        -> OsmAndJSONForm
    {
        var reader = JSONReader(body)
        var deviceID: JSONString?
        var deviceIDIsString = true
        var location: UnsafeRawBufferPointer?
        var members = try reader.beginObject()
        while let key = try reader.nextMember(&members) {
            if key.equals("device_id") {
                if try reader.peek() == .string {
                    deviceID = try reader.readString()
                    deviceIDIsString = true
                } else {
                    deviceIDIsString = false
                    try reader.skipValue()
                }
            } else if key.equals("location") {
                _ = try reader.peek()
                let start = reader.position
                try reader.skipValue()
                location = UnsafeRawBufferPointer(rebasing: body[start..<reader.position])
            } else {
                try reader.skipValue()
            }
        }
        try reader.finish()
        guard deviceIDIsString else { throw .badIdentity }
        guard let deviceID else { throw .noIdentity }
        deviceID.decode(into: &scratch)
        guard let device = DeviceID(ascii: scratch) else { throw .badIdentity }
        guard let location else { throw .missingField("location") }
        return OsmAndJSONForm(device: device, location: location)
    }

    /// Calls `body` with each location's fields, or with why that location is unusable, in
    /// order. An empty batch calls it never.
    public func forEachPosition(
        scratch: inout [UInt8], _ body: (Result<OsmAndPosition, OsmAndError>) -> Void
    ) {
        var reader = JSONReader(location)
        do throws(OsmAndError) {
            if try reader.peek() == .array {
                var elements = try reader.beginArray()
                while try reader.nextElement(&elements) {
                    body(Self.position(&reader, scratch: &scratch))
                }
            } else {
                body(Self.position(&reader, scratch: &scratch))
            }
        } catch {
            // The value was validated by `parse`; a failure here would be a reader bug.
            body(.failure(error))
        }
    }

    /// Reads one location value; a non-object is `badField("location")`.
    static func position(_ reader: inout JSONReader, scratch: inout [UInt8]) -> Result<OsmAndPosition, OsmAndError> {
        var position = OsmAndPosition()
        var problem: OsmAndError?
        func note(_ error: OsmAndError) { if problem == nil { problem = error } }
        do throws(OsmAndError) {
            guard try reader.peek() == .object else {
                try reader.skipValue()
                return .failure(.badField("location"))
            }
            var members = try reader.beginObject()
            while let key = try reader.nextMember(&members) {
                if key.equals("timestamp") {
                    switch try reader.peek() {
                    case .string:
                        try reader.readString().decode(into: &scratch)
                        position.timeMs = scratch.withUnsafeBytes { OsmAndPosition.parseTime($0) }
                        if position.timeMs == nil { note(.badTime) }
                    case .number:
                        position.timeMs = OsmAndPosition.parseTime(try reader.readNumber())
                        if position.timeMs == nil { note(.badTime) }
                    default:
                        try reader.skipValue()
                        note(.badTime)
                    }
                } else if key.equals("coords") {
                    if let error = try coords(&reader, into: &position) { note(error) }
                } else {
                    try reader.skipValue()
                }
            }
        } catch {
            return .failure(error)
        }
        if let problem { return .failure(problem) }
        return .success(position)
    }

    /// Reads the `coords` object into `position`; returns the first field problem.
    static func coords(_ reader: inout JSONReader, into position: inout OsmAndPosition) throws(OsmAndError)
        -> OsmAndError?
    {
        guard try reader.peek() == .object else {
            try reader.skipValue()
            return .badField("coords")
        }
        var problem: OsmAndError?
        var members = try reader.beginObject()
        while let key = try reader.nextMember(&members) {
            let kind = try reader.peek()
            if kind == .null {
                try reader.readNull()
                continue
            }
            guard kind == .number else {
                try reader.skipValue()
                if key.equals("latitude") || key.equals("longitude") || key.equals("speed")
                    || key.equals("heading") || key.equals("altitude") || key.equals("accuracy")
                {
                    problem = problem ?? .badField("coords")
                }
                continue
            }
            let text = try reader.readNumber()
            if key.equals("latitude") || key.equals("longitude") {
                guard let e7 = DecimalText.scaled(text, scale: 7, limit: 1 << 40) else {
                    problem = problem ?? .badField("coords")
                    continue
                }
                if key.equals("latitude") { position.latitudeE7 = e7 } else { position.longitudeE7 = e7 }
            } else if key.equals("speed") {
                position.speedMps = DecimalText.double(text).flatMap { $0 < 0 ? nil : $0 }
            } else if key.equals("heading") {
                position.courseDeg = DecimalText.double(text).flatMap { $0 < 0 ? nil : $0 }
            } else if key.equals("altitude") {
                position.altitudeM = DecimalText.double(text)
            } else if key.equals("accuracy") {
                position.accuracyM = DecimalText.double(text)
            }
        }
        return problem
    }
}
