import FieldtraceCore
import FieldtraceWire
import Testing

@testable import FieldtraceCLI

@Suite struct DecodeRunTests {
    @Test func hexLinesThatAreNotHexAreCountedNotFatal() {
        var text: [UInt8] = []
        let counters = DecodeRun.decode(
            Array("# header\nzz not hex\n".utf8), protocol: .gt06, input: .hex, configuration: .init(),
            receivedMs: 0, fixes: true, acks: true
        ) { text += $0 }
        #expect(counters.frames == 1)
        #expect(counters.rejected[.badFraming] == 1)
        #expect(text.isEmpty)
    }
}
