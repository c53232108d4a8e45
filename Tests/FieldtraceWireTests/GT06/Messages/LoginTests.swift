import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06LoginTests {
    func parse(_ bytes: [UInt8]) -> Result<GT06Login, GT06Error> {
        GT06Fixtures.parse(bytes) { raw throws(GT06Error) in try GT06Login.parse(raw) }
    }

    @Test func documentExample() throws {
        let login = try parse([0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x23, 0x45]).get()
        #expect(login.device.rawValue == "123456789012345")
    }

    @Test func extendedLoginWithTypeAndTimeZone() throws {
        let login = try parse([0x03, 0x59, 0x33, 0x90, 0x75, 0x09, 0x15, 0x23, 0x36, 0x08, 0x32, 0x02]).get()
        #expect(login.device.rawValue == GT06Fixtures.imei)
    }

    @Test func badIdentities() {
        #expect(GT06Fixtures.error(parse([0x11, 0x23, 0x45, 0x67, 0x89, 0x01, 0x23, 0x45])) == .badIdentity)
        #expect(GT06Fixtures.error(parse([0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x23, 0x4A])) == .badIdentity)
        #expect(GT06Fixtures.error(parse([0x01, 0x23, 0x45, 0xF7, 0x89, 0x01, 0x23, 0x45])) == .badIdentity)
        #expect(
            GT06Fixtures.error(parse([0x01, 0x23, 0x45])) == .truncated(protocolNumber: 0x01, needed: 8, available: 3))
    }

    @Test func loginSetsIdentityAndIsAcked() {
        let result = DecoderHarness.whole(GT06Decoder.self, GT06Fixtures.docLogin)
        #expect(result.identity?.rawValue == "123456789012345")
        #expect(result.replies == [GT06Fixtures.docLoginAck])
        #expect(result.counters.summary == "frames=1 fixes=0 ignored=1 rejected=0")
        #expect(!result.shouldClose)
    }

    @Test func refusedDeviceGetsNoAckAndIsClosed() {
        var configuration = WireConfiguration()
        configuration.isDeviceAllowed = { $0.rawValue != "123456789012345" }
        let frames = GT06Fixtures.docLogin + GT06Fixtures.docLocation
        let result = DecoderHarness.whole(GT06Decoder.self, frames, configuration: configuration)
        #expect(result.replies.isEmpty)
        #expect(result.shouldClose)
        #expect(result.identity == nil)
        #expect(result.fixes.isEmpty)
        #expect(result.counters.summary == "frames=2 fixes=0 ignored=0 rejected=2 (no_identity=1 refused=1)")
    }
}
