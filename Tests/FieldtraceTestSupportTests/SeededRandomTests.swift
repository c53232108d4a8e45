import FieldtraceTestSupport
import Testing

@Suite struct SeededRandomTests {
    @Test func sameSeedSameSequence() {
        var a = SeededRandom(seed: 99)
        var b = SeededRandom(seed: 99)
        var c = SeededRandom(seed: 100)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
    }

    @Test func splitsCoverTheInputInOrder() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        for seed in 0..<20 as Range<UInt64> {
            #expect(DecoderHarness.split(bytes, seed: seed).flatMap { $0 } == bytes)
        }
    }

    @Test func sampleDataIsFound() {
        #expect(SampleData.directory.hasSuffix("/sample-data"))
        #expect(!SampleData.fileNames().isEmpty)
    }
}
