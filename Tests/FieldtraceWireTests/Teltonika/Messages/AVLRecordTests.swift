import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaAVLRecordTests {
    let device = TeltonikaFixtures.device
    let now = TeltonikaFixtures.receivedMs

    @Test func fixValuesAndUnits() throws {
        let fix = try TeltonikaFixtures.berlin().fix(device: device, receivedMs: now)
        #expect(fix.latitudeE7 == 525_200_066)
        #expect(fix.longitudeE7 == 134_049_540)
        #expect(fix.timeMs == 1_764_399_600_000)
        #expect(fix.receivedMs == now)
        #expect(fix.altitudeM == 34)
        #expect(fix.speedMps == 50 / 3.6)
        #expect(fix.courseDeg == 45)
        #expect(fix.satellites == 11)
        #expect(fix.hdop == nil)
        #expect(fix.flags == .valid)
        #expect(fix.source == .teltonika)
        #expect(fix.device == device)
    }

    @Test func zeroSatellitesIsNotValid() throws {
        var record = TeltonikaFixtures.berlin()
        record.satellites = 0
        let fix = try record.fix(device: device, receivedMs: now)
        #expect(!fix.isValid)
        #expect(fix.satellites == 0)
    }

    @Test func signedValues() throws {
        let record = TeltonikaRecord(
            timestampMs: 1_764_399_600_000, longitudeE7: -1_800_000_000, latitudeE7: -338_688_197, altitudeM: -412,
            angleDeg: 360, satellites: 5)
        let fix = try record.fix(device: device, receivedMs: now)
        #expect(fix.longitudeE7 == -1_800_000_000)
        #expect(fix.latitudeE7 == -338_688_197)
        #expect(fix.altitudeM == -412)
        #expect(fix.courseDeg == 0)
    }

    @Test func weekRolloverIsCorrectedAndFlagged() throws {
        var record = TeltonikaFixtures.berlin()
        record.timestampMs -= GPSWeekRollover.periodMs
        let fix = try record.fix(device: device, receivedMs: now)
        #expect(fix.timeMs == TeltonikaFixtures.berlin().timestampMs)
        #expect(fix.flags.contains(.weekRolloverCorrected))
        #expect(fix.isValid)
    }

    @Test(arguments: [
        (Int64(0), "epoch 0"), (Int64(315_964_799_999), "just before the GPS epoch"), (Int64.min, "negative"),
        (Int64.max, "far future"), (Int64(4_102_444_800_000), "2100"),
    ])
    func impossibleTimesAreBadTime(time: Int64, label: String) {
        var record = TeltonikaFixtures.berlin()
        record.timestampMs = time
        #expect(throws: TeltonikaError.self, "\(label)") { try record.fix(device: device, receivedMs: now) }
        do {
            _ = try record.fix(device: device, receivedMs: now)
        } catch {
            #expect(error.reason == .badTime, "\(label)")
        }
    }

    @Test func outOfRangeValuesAreBadField() {
        var cases: [TeltonikaRecord] = []
        var r = TeltonikaFixtures.berlin()
        r.latitudeE7 = 900_000_001
        cases.append(r)
        r = TeltonikaFixtures.berlin()
        r.longitudeE7 = .min
        cases.append(r)
        r = TeltonikaFixtures.berlin()
        r.speedKmh = 7200
        cases.append(r)
        r = TeltonikaFixtures.berlin()
        r.angleDeg = 361
        cases.append(r)
        r = TeltonikaFixtures.berlin()
        r.altitudeM = -20_000
        cases.append(r)
        for record in cases {
            do {
                _ = try record.fix(device: device, receivedMs: now)
                Issue.record("accepted \(record)")
            } catch {
                #expect(error.reason == .badField)
            }
        }
    }

    @Test func limitsAreInclusive() throws {
        var r = TeltonikaFixtures.berlin()
        r.speedKmh = 7199
        r.altitudeM = -19_999
        r.latitudeE7 = -900_000_000
        r.longitudeE7 = 1_800_000_000
        let fix = try r.fix(device: device, receivedMs: now)
        TeltonikaFixtures.expectPlausible([fix])
    }
}
