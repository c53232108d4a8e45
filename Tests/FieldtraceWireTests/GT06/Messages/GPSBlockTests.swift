import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06GPSBlockTests {
    func parse(_ bytes: [UInt8]) -> Result<GT06GPSBlock, GT06Error> {
        GT06Fixtures.parse(bytes) { raw throws(GT06Error) in try GT06GPSBlock.parse(raw, at: 0, protocolNumber: 0x12) }
    }

    @Test func fieldsAndUnits() throws {
        let block = try parse(GT06Fixtures.gpsBlock()).get()
        #expect(block.timeMs == ISO8601.parse("2025-11-28T10:20:30Z".utf8))
        #expect(block.satellites == 9)
        #expect(block.latitudeE7 == 312_304_000)
        #expect(block.longitudeE7 == 1_214_737_000)
        #expect(block.speedKmh == 36)
        #expect(block.courseDeg == 90)
        #expect(block.isPositioned)
        let fix = block.fix(device: GT06Fixtures.device, receivedMs: GT06Fixtures.receivedMs, late: false)
        #expect(fix.speedMps == 10)
        #expect(fix.courseDeg == 90)
        #expect(fix.receivedMs == GT06Fixtures.receivedMs)
        #expect(fix.flags == .valid)
        #expect(fix.source == .gt06)
        #expect(Plausibility.problems(fix).isEmpty)
    }

    @Test(arguments: [
        (UInt16(0x1400), Int32(1), Int32(1)),  // north, east
        (UInt16(0x1000), Int32(-1), Int32(1)),  // south (bit 10 clear), east
        (UInt16(0x1C00), Int32(1), Int32(-1)),  // north, west (bit 11 set)
        (UInt16(0x1800), Int32(-1), Int32(-1)),  // south, west
    ])
    func hemispheres(status: UInt16, latSign: Int32, lonSign: Int32) throws {
        let block = try parse(GT06Fixtures.gpsBlock(courseStatus: status | 45)).get()
        #expect(block.latitudeE7 == latSign * 312_304_000)
        #expect(block.longitudeE7 == lonSign * 1_214_737_000)
        #expect(block.courseDeg == 45)
    }

    /// Exactness: the E7 value is the nearest integer to raw x 50 / 9, i.e. |9 e7 - 50 raw| <= 4.
    @Test func conversionIsExactToNearest() {
        var rng = SeededRandom(seed: 0x6706)
        var raws: [UInt32] = [0, 1, 2, 4, 5, 8, 9, 17, 162_000_000, 324_000_000, UInt32.max]
        for _ in 0..<100_000 { raws.append(UInt32(truncatingIfNeeded: rng.next())) }
        for raw in raws {
            let e7 = GT06GPSBlock.degreesE7(raw: raw)
            #expect(abs(9 * e7 - 50 * Int64(raw)) <= 4, "raw \(raw) -> \(e7)")
        }
        #expect(GT06GPSBlock.degreesE7(raw: 1) == 6)  // 5.55... -> 6
        #expect(GT06GPSBlock.degreesE7(raw: 2) == 11)  // 11.11... -> 11
        #expect(GT06GPSBlock.degreesE7(raw: 162_000_000) == 900_000_000)
        #expect(GT06GPSBlock.degreesE7(raw: 324_000_000) == 1_800_000_000)
    }

    @Test func antimeridianAndPoles() throws {
        let east = try parse(GT06Fixtures.gpsBlock(latitudeRaw: 162_000_000, longitudeRaw: 324_000_000)).get()
        #expect(east.latitudeE7 == 900_000_000)
        #expect(east.longitudeE7 == 1_800_000_000)
        let west = try parse(
            GT06Fixtures.gpsBlock(latitudeRaw: 162_000_000, longitudeRaw: 324_000_000, courseStatus: 0x1800)
        ).get()
        #expect(west.latitudeE7 == -900_000_000)
        #expect(west.longitudeE7 == -1_800_000_000)
    }

    @Test func outOfRangeFields() {
        #expect(GT06Fixtures.error(parse(GT06Fixtures.gpsBlock(latitudeRaw: 162_000_001)))?.reason == .badField)
        #expect(GT06Fixtures.error(parse(GT06Fixtures.gpsBlock(longitudeRaw: 324_000_001)))?.reason == .badField)
        #expect(GT06Fixtures.error(parse(GT06Fixtures.gpsBlock(courseStatus: 0x1400 | 361)))?.reason == .badField)
        #expect((try? parse(GT06Fixtures.gpsBlock(courseStatus: 0x1400 | 360)).get())?.courseDeg == 0)
    }

    @Test(arguments: [
        [UInt8]([25, 13, 1, 0, 0, 0]),  // month 13
        [23, 2, 29, 0, 0, 0],  // 2023 is no leap year
        [25, 0, 1, 0, 0, 0],  // month 0
        [25, 1, 0, 0, 0, 0],  // day 0
        [25, 1, 1, 24, 0, 0],  // hour 24
        [25, 1, 1, 0, 60, 0],  // minute 60
        [100, 1, 1, 0, 0, 0],  // year 2100: past the two-digit range
    ])
    func badTimes(date: [UInt8]) {
        #expect(GT06Fixtures.error(parse(GT06Fixtures.gpsBlock(date: date))) == .badTime)
    }

    @Test func leapDayAndMidnight() throws {
        let leap = try parse(GT06Fixtures.gpsBlock(date: [24, 2, 29, 0, 0, 0])).get()
        #expect(leap.timeMs == ISO8601.parse("2024-02-29T00:00:00Z".utf8))
        let lastSecond = try parse(GT06Fixtures.gpsBlock(date: [25, 12, 31, 23, 59, 59])).get()
        #expect(lastSecond.timeMs == ISO8601.parse("2025-12-31T23:59:59Z".utf8))
    }

    @Test func weekRolloverIsCorrectedAgainstReceiveTime() throws {
        // A receiver 1024 weeks behind reports 2006-04-14 for 2025-11-29 (19.6 years later).
        let block = try parse(GT06Fixtures.gpsBlock(date: [6, 4, 14, 7, 0, 0])).get()
        let fix = block.fix(device: GT06Fixtures.device, receivedMs: GT06Fixtures.receivedMs, late: false)
        #expect(fix.timeMs == block.timeMs + GPSWeekRollover.periodMs)
        #expect(fix.flags.contains(.weekRolloverCorrected))
        #expect(Plausibility.problems(fix).isEmpty)
        let recent = try parse(GT06Fixtures.gpsBlock()).get()
        let normal = recent.fix(device: GT06Fixtures.device, receivedMs: GT06Fixtures.receivedMs, late: false)
        #expect(!normal.flags.contains(.weekRolloverCorrected))
    }

    @Test func notPositionedIsInvalidAndLateImpliesBackfill() throws {
        let block = try parse(GT06Fixtures.gpsBlock(courseStatus: 0x0400)).get()
        #expect(!block.isPositioned)
        let fix = block.fix(device: GT06Fixtures.device, receivedMs: GT06Fixtures.receivedMs, late: true)
        #expect(!fix.isValid)
        #expect(fix.flags.contains(.late) && fix.flags.contains(.backfill))
    }

    @Test func shortBlockIsTruncated() {
        let short = Array(GT06Fixtures.gpsBlock().prefix(17))
        #expect(GT06Fixtures.error(parse(short)) == .truncated(protocolNumber: 0x12, needed: 18, available: 17))
    }
}
