import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06FramerTests {
    enum Outcome: Equatable {
        case frame(protocolNumber: UInt8, contentBytes: Int, serial: UInt16, longForm: Bool, frameBytes: Int)
        case needs(Int)
        case error(GT06Error)
    }

    func frame(_ bytes: [UInt8], maxFrameBytes: Int = 2048) -> Outcome {
        bytes.withUnsafeBytes { raw in
            var needed = 0
            do throws(GT06Error) {
                guard let f = try GT06Framer.frame(raw, maxFrameBytes: maxFrameBytes, needed: &needed) else {
                    return .needs(needed)
                }
                return .frame(
                    protocolNumber: f.protocolNumber, contentBytes: f.content.count, serial: f.serial,
                    longForm: f.isLongForm, frameBytes: f.frameBytes)
            } catch {
                return .error(error)
            }
        }
    }

    @Test func documentFrames() {
        #expect(
            frame(GT06Fixtures.docLogin)
                == .frame(protocolNumber: 0x01, contentBytes: 8, serial: 1, longForm: false, frameBytes: 18))
        #expect(
            frame(GT06Fixtures.docLocation)
                == .frame(protocolNumber: 0x12, contentBytes: 26, serial: 3, longForm: false, frameBytes: 36))
        #expect(
            frame(GT06Fixtures.docHeartbeat)
                == .frame(protocolNumber: 0x13, contentBytes: 5, serial: 0x000F, longForm: false, frameBytes: 15))
    }

    @Test func longForm() {
        let bytes = GT06Encoder.frame(protocolNumber: 0x94, content: [0x00, 0x01, 0x2C], serial: 7, longForm: true)
        #expect(
            frame(bytes) == .frame(protocolNumber: 0x94, contentBytes: 3, serial: 7, longForm: true, frameBytes: 14))
    }

    /// Every proper prefix asks for exactly the bytes it lacks once the header is known.
    @Test func prefixesNeedTheRest() {
        let bytes = GT06Fixtures.docLocation
        #expect(frame([0x78]) == .needs(1))
        #expect(frame([0x78, 0x78]) == .needs(1))
        for n in 3..<bytes.count {
            #expect(frame(Array(bytes.prefix(n))) == .needs(bytes.count - n))
        }
        #expect(frame([0x79, 0x79, 0x00]) == .needs(1))
    }

    @Test func declaredLengthIsCappedBeforeWaiting() {
        // 79 79 FF FF declares a 65,541-byte frame: rejected with only the header present.
        #expect(frame([0x79, 0x79, 0xFF, 0xFF]) == .error(.tooLong(frameBytes: 65_541, limit: 2048)))
        #expect(frame([0x78, 0x78, 0xFF], maxFrameBytes: 100) == .error(.tooLong(frameBytes: 260, limit: 100)))
        #expect(frame([0x79, 0x79, 0x07, 0xFB]) == .error(.tooLong(frameBytes: 2049, limit: 2048)))
        #expect(frame([0x79, 0x79, 0x07, 0xFA]) == .needs(2044))
    }

    @Test func lengthBelowMinimum() {
        #expect(frame([0x78, 0x78, 0x04]) == .error(.badLength(declared: 4)))
        #expect(frame([0x79, 0x79, 0x00, 0x00]) == .error(.badLength(declared: 0)))
    }

    @Test func badStopAndBadCRC() {
        var stop = GT06Fixtures.docLogin
        stop[stop.count - 1] = 0x0B
        #expect(frame(stop) == .error(.badStop))
        var crc = GT06Fixtures.docLogin
        crc[5] ^= 0x01
        #expect(
            frame(crc)
                == .error(.badCRC(expected: GT06Encoder.crc16X25(Array(crc[2..<14])), actual: 0x8CDD, frameBytes: 18)))
    }

    @Test func scanFindsStartCandidates() {
        let bytes: [UInt8] = [0x00, 0x78, 0x01, 0x79, 0x79, 0x05, 0x78]
        bytes.withUnsafeBytes { raw in
            #expect(GT06Framer.scan(raw, from: 0) == 3)
            #expect(GT06Framer.scan(raw, from: 4) == 6)  // a lone start byte at the end may begin a frame
        }
        [UInt8]([0x01, 0x02]).withUnsafeBytes { raw in #expect(GT06Framer.scan(raw, from: 0) == 2) }
    }

    /// The ack CRC over its four bytes (length, protocol, serial) is the CRC-16/X-25 of them.
    @Test func ackCRC() {
        #expect(Checksums.crc16X25([0x05, 0x01, 0x00, 0x01]) == 0xD9DC)
        #expect(Array(GT06Ack.array(protocolNumber: 0x01, serial: 1))[6...7] == [0xD9, 0xDC])
    }
}
