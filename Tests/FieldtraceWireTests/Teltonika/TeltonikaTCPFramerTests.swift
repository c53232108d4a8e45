import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct TeltonikaTCPFramerTests {
    let max = WireLimits().teltonikaPacketMaxBytes

    func length(_ bytes: [UInt8], imei: Bool = false, max: Int? = nil) throws(TeltonikaError) -> Int {
        try TeltonikaError.withBytes(bytes) { (raw) throws(TeltonikaError) in
            try TeltonikaTCPFramer.frameLength(raw, expectingIMEI: imei, maxPacketBytes: max ?? self.max)
        }
    }

    @Test func packetLengthGrowsAsTheHeaderArrives() throws {
        let packet = TeltonikaEncoder.tcpPacket([TeltonikaFixtures.berlin()])
        for n in 0..<8 { #expect(try length(Array(packet.prefix(n))) == 8) }
        for n in 8...packet.count { #expect(try length(Array(packet.prefix(n))) == packet.count) }
    }

    @Test func handshakeLength() throws {
        let hello = TeltonikaFixtures.docHandshake
        #expect(try length([], imei: true) == 2)
        #expect(try length([0x00], imei: true) == 2)
        #expect(try length(Array(hello.prefix(2)), imei: true) == 17)
        #expect(try length(hello, imei: true) == 17)
    }

    @Test func declared2Pow31IsRejectedFromTheHeaderAlone() {
        #expect(throws: TeltonikaError.self) { try length([0, 0, 0, 0, 0x80, 0, 0, 0]) }
        #expect(throws: TeltonikaError.self) { try length([0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]) }
        do {
            _ = try length([0, 0, 0, 0, 0x80, 0, 0, 0])
        } catch {
            #expect(error == .tooLong(declaredBytes: 8 + (1 << 31) + 4, maxBytes: max))
        }
    }

    @Test func capIsOnTheWholePacket() throws {
        // data length max - 12 fits exactly; one more does not.
        let fits = UInt32(max - 12)
        #expect(try length([0, 0, 0, 0] + be32(fits)) == max)
        #expect(throws: TeltonikaError.self) { try length([0, 0, 0, 0] + be32(fits + 1)) }
    }

    @Test func nonZeroPreambleFailsAsSoonAsItIsSeen() {
        #expect(throws: TeltonikaError.badPreamble) { try length([0x01]) }
        #expect(throws: TeltonikaError.badPreamble) { try length([0, 0, 0, 0x7E]) }
    }

    @Test func handshakeLengthChecks() {
        #expect(throws: TeltonikaError.noIdentity) { try length([0, 0], imei: true) }
        #expect(throws: TeltonikaError.badIMEI) { try length([0, 65], imei: true) }
        #expect(throws: TeltonikaError.badIMEI) { try length([0xFF, 0xFF], imei: true) }
    }

    @Test func nextFrameReturnsNilUntilComplete() throws {
        let packet = TeltonikaEncoder.tcpPacket([TeltonikaFixtures.berlin()])
        try (packet + [0, 0]).withUnsafeBytes { raw in
            let partial = UnsafeRawBufferPointer(rebasing: raw[0..<(packet.count - 1)])
            #expect(try TeltonikaTCPFramer.nextFrame(partial, expectingIMEI: false, maxPacketBytes: max) == nil)
            let frame = try TeltonikaTCPFramer.nextFrame(raw, expectingIMEI: false, maxPacketBytes: max)
            #expect(frame.map(Array.init) == packet)
        }
    }

    func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}
