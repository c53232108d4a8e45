import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaIMEIHandshakeTests {
    @Test func acceptedHandshakeIsAnswered01() {
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, TeltonikaFixtures.docHandshake)
        #expect(result.replies == [[0x01]])
        #expect(result.identity == TeltonikaFixtures.device)
        #expect(!result.shouldClose)
        #expect(result.counters.frames == 1)
        #expect(result.counters.ignored == 1)
        #expect(result.counters.rejected.isEmpty)
    }

    @Test func refusedDeviceIsAnswered00AndClosed() {
        var configuration = WireConfiguration()
        configuration.isDeviceAllowed = { $0.rawValue != TeltonikaFixtures.imei }
        let bytes = TeltonikaFixtures.docHandshake + TeltonikaFixtures.docCodec8
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, bytes, configuration: configuration)
        #expect(result.replies == [[0x00]])
        #expect(result.shouldClose)
        #expect(result.fixes.isEmpty)
        #expect(result.identity == nil)
        #expect(result.counters.rejected == [.teltonikaRefused: 1])
    }

    @Test func nonDigitIMEIIsAnswered00AndClosed() {
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, TeltonikaEncoder.handshake(imei: "35630704244101X"))
        #expect(result.replies == [[0x00]])
        #expect(result.shouldClose)
        #expect(result.counters.rejected == [.badIdentity: 1])
    }

    @Test func overlongIMEIIsRejectedFromItsLengthAlone() {
        // Declares 65 digits but sends none: rejected at once, nothing waited for.
        var decoder = TeltonikaTCPDecoder(configuration: .init())
        var output = WireOutput()
        decoder.consume([0x00, 0x41], receivedMs: TeltonikaFixtures.receivedMs, into: &output)
        #expect(output.shouldClose)
        #expect(output.replies.map(Array.init) == [[0x00]])
        #expect(output.counters.rejected == [.badIdentity: 1])
    }

    @Test func sixtyFourDigitsAreAccepted() {
        let imei = String(repeating: "7", count: 64)
        let result = DecoderHarness.dripFed(TeltonikaTCPDecoder.self, TeltonikaEncoder.handshake(imei: imei))
        #expect(result.identity?.rawValue == imei)
        #expect(result.replies == [[0x01]])
    }

    @Test func avlDataBeforeTheHandshakeIsNoIdentity() {
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, TeltonikaFixtures.docCodec8)
        #expect(result.counters.rejected == [.noIdentity: 1])
        #expect(result.shouldClose)
        #expect(result.replies.isEmpty)
        #expect(result.fixes.isEmpty)
    }
}
