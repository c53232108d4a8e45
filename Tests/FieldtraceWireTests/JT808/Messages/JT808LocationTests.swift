import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808LocationTests {
    static func read(_ body: [UInt8]) -> Result<JT808Location, JT808Error> {
        JT808Fixtures.parse(body) { (c: inout ByteCursor) throws(JT808Error) in try JT808Location.read(&c) }
    }

    /// The body of the spec's field order, written out by hand: alarm 0, status ACC+positioned,
    /// 31.230416 N 121.473701 E, 12 m, 62.3 km/h, 87 degrees, Beijing 2025-11-28 18:20:30.
    static let handBody: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0xDC, 0x89, 0xD0, 0x07, 0x3D, 0x8A, 0xA5,
        0x00, 0x0C, 0x02, 0x6F, 0x00, 0x57, 0x25, 0x11, 0x28, 0x18, 0x20, 0x30,
    ]

    @Test func readsTheFixedPart() throws {
        let location = try Self.read(Self.handBody).get()
        #expect(location.status == 3 && location.isAccOn && location.isPositioned)
        #expect(location.latitudeE6 == 31_230_416 && location.longitudeE6 == 121_473_701)
        #expect(location.altitudeM == 12 && location.speedDeciKmh == 623 && location.direction == 87)
        #expect(location.time == JT808Time(year: 25, month: 11, day: 28, hour: 18, minute: 20, second: 30))
        #expect(location.satellites == nil && location.mileageDeciKm == nil && location.signal == nil)
        let fix = try location.fix(
            device: JT808Fixtures.device, receivedMs: JT808Fixtures.receivedMs, referenceYear: 2025)
        #expect(fix.latitudeE7 == 312_304_160 && fix.longitudeE7 == 1_214_737_010)
        #expect(fix.timeMs == ISO8601.parse("2025-11-28T10:20:30Z".utf8))
        #expect(fix.speedMps == 623.0 / 36.0)
        #expect(fix.courseDeg == 87 && fix.altitudeM == 12)
        #expect(fix.flags == .valid && fix.source == .jt808 && fix.receivedMs == JT808Fixtures.receivedMs)
        #expect(Plausibility.problems(fix).isEmpty)
    }

    @Test func readsItemsAndSkipsUnknownOnes() throws {
        let body =
            Self.handBody + [0x01, 4, 0x00, 0x01, 0xE2, 0x40, 0xE1, 3, 9, 9, 9, 0x30, 1, 27, 0x31, 1, 11, 0x02, 0]
        let location = try Self.read(body).get()
        #expect(location.mileageDeciKm == 123_456 && location.signal == 27 && location.satellites == 11)
    }

    @Test func hemispheres() throws {
        for (status, lat, lon): (UInt8, Int32, Int32) in [
            (0x02, 312_304_160, 1_214_737_010), (0x06, -312_304_160, 1_214_737_010),
            (0x0A, 312_304_160, -1_214_737_010), (0x0E, -312_304_160, -1_214_737_010),
        ] {
            var body = Self.handBody
            body[7] = status
            let fix = try Self.read(body).get().fix(
                device: JT808Fixtures.device, receivedMs: JT808Fixtures.receivedMs, referenceYear: 2025)
            #expect(fix.latitudeE7 == lat && fix.longitudeE7 == lon)
        }
    }

    @Test func notPositionedIsAnInvalidFix() throws {
        var body = Self.handBody
        body[7] = 0x01
        let fix = try Self.read(body).get().fix(
            device: JT808Fixtures.device, receivedMs: JT808Fixtures.receivedMs, referenceYear: 2025)
        #expect(!fix.isValid)
    }

    @Test func extremesAndRanges() throws {
        var body = Self.handBody
        // 90 S, 180 W exactly are fine.
        body.replaceSubrange(8..<16, with: [0x05, 0x5D, 0x4A, 0x80, 0x0A, 0xBA, 0x95, 0x00])
        body[7] = 0x0E
        let fix = try Self.read(body).get().fix(
            device: JT808Fixtures.device, receivedMs: JT808Fixtures.receivedMs, referenceYear: 2025)
        #expect(fix.latitudeE7 == -900_000_000 && fix.longitudeE7 == -1_800_000_000)
        // 90.000001 is not.
        body.replaceSubrange(8..<12, with: [0x05, 0x5D, 0x4A, 0x81])
        let error = JT808Fixtures.error(
            Self.read(body).flatMap { location in
                Result { () throws(JT808Error) in
                    try location.fix(device: JT808Fixtures.device, receivedMs: 0, referenceYear: 2025)
                }
            })
        #expect(error == .badCoordinate(latitudeE6: 90_000_001, longitudeE6: 180_000_000))
        // Direction 360 and above is left out; altitude and speed are unsigned.
        var odd = Self.handBody
        odd.replaceSubrange(16..<22, with: [0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x68])
        let oddFix = try Self.read(odd).get().fix(
            device: JT808Fixtures.device, receivedMs: JT808Fixtures.receivedMs, referenceYear: 2025)
        #expect(oddFix.courseDeg == nil && oddFix.altitudeM == 65535 && oddFix.speedMps == 65535.0 / 36.0)
        #expect(Plausibility.problems(oddFix).isEmpty)
    }

    @Test func weekRolloverIsCorrectedAndFlagged() throws {
        // Beijing 2006-04-16 18:20:30 is 1024 weeks before 2025-11-30 18:20:30... too late: use
        // a time 1024 weeks before 2025-11-28T10:20:30Z, reported by a receiver with the bug.
        let trueMs = ISO8601.parse("2025-11-28T10:20:30Z".utf8)!
        let bugMs = trueMs - GPSWeekRollover.periodMs
        var body = Array(Self.handBody.prefix(22)) + JT808Encoder.bcdTime(utcMs: bugMs)
        body[0] = 0
        let fix = try Self.read(body).get().fix(
            device: JT808Fixtures.device, receivedMs: JT808Fixtures.receivedMs, referenceYear: 2025)
        #expect(fix.timeMs == trueMs)
        #expect(fix.flags.contains(.weekRolloverCorrected))
    }

    @Test func malformedItemsAndShortBodies() {
        for n in 0..<28 {
            guard case .truncated = JT808Fixtures.error(Self.read(Array(Self.handBody.prefix(n)))) else {
                Issue.record("prefix \(n) not truncated")
                continue
            }
        }
        for items: [UInt8] in [[0x31], [0x31, 2, 1], [0x01, 3, 0, 0, 0], [0x30, 2, 1, 1], [0xE0, 200, 1]] {
            guard case .badBodyLength = JT808Fixtures.error(Self.read(Self.handBody + items)) else {
                Issue.record("items \(items) accepted")
                continue
            }
        }
    }
}
