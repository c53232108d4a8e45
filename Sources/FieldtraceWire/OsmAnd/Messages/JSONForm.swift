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
///
/// One pass: the locations are read as they come into a reusable outcome buffer, and turned
/// into fixes only once the whole document has proved well formed and its identity valid.
public enum OsmAndJSONForm {
    /// What one location gave: its fields, or why it is unusable.
    public typealias Outcome = Result<OsmAndPosition, OsmAndError>

    /// Reads the whole document in one pass, validating all of it, and returns the identity;
    /// each location's outcome is appended to `positions` (cleared first, capacity kept) in
    /// order. A malformed document fails as a whole (`malformedJSON`), as do a missing or
    /// invalid `device_id` and a missing `location`; a location with bad fields (or one that
    /// is not an object) is a failed outcome of its own.
    public static func parse(
        _ body: UnsafeRawBufferPointer, scratch: inout [UInt8], timeScratch: inout [UInt8],
        positions: inout [Outcome]
    ) throws(OsmAndError) -> DeviceID {
        positions.removeAll(keepingCapacity: true)
        var reader = JSONReader(body)
        var deviceID: JSONString?
        var deviceIDIsString = true
        var sawLocation = false
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
                // A repeated `location` member replaces the earlier one.
                positions.removeAll(keepingCapacity: true)
                sawLocation = true
                if try reader.peek() == .array {
                    var elements = try reader.beginArray()
                    while try reader.nextElement(&elements) {
                        positions.append(try position(&reader, scratch: &scratch, timeScratch: &timeScratch))
                    }
                } else {
                    positions.append(try position(&reader, scratch: &scratch, timeScratch: &timeScratch))
                }
            } else {
                try reader.skipValue()
            }
        }
        try reader.finish()
        guard deviceIDIsString else { throw .badIdentity }
        guard let deviceID else { throw .noIdentity }
        deviceID.decode(into: &scratch)
        // Through a raw buffer: the generic initializer reads an `Array` through a coroutine
        // per byte, which allocates when not specialized across modules.
        guard let device = scratch.withUnsafeBytes({ DeviceID(ascii: $0) }) else { throw .badIdentity }
        guard sawLocation else { throw .missingField("location") }
        return device
    }

    /// Reads one location value. Throws only for malformed JSON; a value that is not an object
    /// or has bad fields is a failed outcome.
    static func position(
        _ reader: inout JSONReader, scratch: inout [UInt8], timeScratch: inout [UInt8]
    ) throws(OsmAndError) -> Outcome {
        guard try reader.peek() == .object else {
            try reader.skipValue()
            return .failure(.badField("location"))
        }
        var position = OsmAndPosition()
        var problem: OsmAndError?
        var members = try reader.beginObject()
        while let key = try reader.nextMember(&members) {
            if key.equals("timestamp") {
                var time: Int64?
                switch try reader.peek() {
                case .string:
                    try reader.readString().decode(into: &scratch)
                    time = scratch.withUnsafeBytes { OsmAndPosition.parseTime($0, isoBuffer: &timeScratch) }
                case .number:
                    time = OsmAndPosition.parseTime(try reader.readNumber(), isoBuffer: &timeScratch)
                default:
                    try reader.skipValue()
                }
                position.timeMs = time
                if time == nil, problem == nil { problem = .badTime }
            } else if key.equals("coords") {
                if let error = try coords(&reader, into: &position), problem == nil { problem = error }
            } else {
                try reader.skipValue()
            }
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
