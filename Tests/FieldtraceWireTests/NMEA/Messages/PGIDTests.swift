import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAPGIDTests {
    static let rmc = NMEATest.s("GPRMC,120000,A,4807.038,N,01131.000,E,,,281126,,,A")

    @Test func setsIdentityAndToken() throws {
        var decoder = NMEADecoder(configuration: .init())
        var output = WireOutput()
        decoder.consume(
            Array((NMEAEncoder.pgid("356307042441013", token: "abc123") + Self.rmc).utf8), receivedMs: 0, into: &output)
        #expect(output.identity?.rawValue == "356307042441013")
        #expect(decoder.identity?.rawValue == "356307042441013")
        #expect(decoder.identityToken == Array("abc123".utf8))
        decoder.finish(into: &output)
        #expect(output.fixes.first?.device.rawValue == "356307042441013")
    }

    @Test func dataBeforeIdentityIsRejected() {
        let r = NMEATest.decodeRaw(Self.rmc + NMEAEncoder.pgid("A") + Self.rmc)
        #expect(NMEATest.rejected(r, .noIdentity) == 1)
        #expect(r.fixes.count == 1)
    }

    @Test func badIdentities() {
        for id in ["", "has space", String(repeating: "x", count: 65), "a$b", "a,b,c,d", "caf\u{E9}"] {
            let r = NMEATest.decodeRaw(NMEATest.s("PGID,\(id)") + Self.rmc)
            #expect(NMEATest.rejected(r, .badIdentity) == 1, "\(id)")
            #expect(NMEATest.rejected(r, .noIdentity) == 1, "\(id)")
            #expect(r.fixes.isEmpty)
        }
    }

    @Test func badIdentityDoesNotKeepThePreviousOne() {
        let r = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + NMEATest.s("PGID,") + Self.rmc)
        #expect(r.fixes.isEmpty)
        #expect(NMEATest.rejected(r, .noIdentity) == 1)
    }

    @Test func refusedDeviceClosesTheConnection() {
        var config = WireConfiguration()
        config.isDeviceAllowed = { $0.rawValue != "BANNED" }
        let r = NMEATest.decodeRaw(NMEAEncoder.pgid("BANNED") + Self.rmc, configuration: config)
        #expect(r.shouldClose)
        #expect(NMEATest.rejected(r, .nmeaRefused) == 1)
        #expect(r.fixes.isEmpty)
    }

    @Test func newDeviceClosesTheEpochAndStartsWithoutDate() {
        let gga = NMEATest.s("GPGGA,120001,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
        let r = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + Self.rmc + NMEAEncoder.pgid("B") + gga)
        #expect(r.fixes.map(\.device.rawValue) == ["A"])
        #expect(NMEATest.rejected(r, .nmeaNoDate) == 1)
        // The same device repeating its $PGID keeps its date and its epoch.
        let same = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + Self.rmc + NMEAEncoder.pgid("A") + gga)
        #expect(same.fixes.count == 2)
    }
}
