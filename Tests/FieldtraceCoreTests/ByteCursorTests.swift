import FieldtraceCore
import Testing

@Suite struct ByteCursorTests {
    @Test func readsBigEndian() throws {
        let bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xFF, 0xFE, 0x12, 0x34]
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var c = ByteCursor(raw)
            #expect(try c.readUInt8() == 0x01)
            #expect(try c.readUInt16() == 0x0203)
            #expect(try c.readUInt32() == 0x0405_0607)
            #expect(try c.readUInt24() == 0x0809FF)
            #expect(try c.readInt16() == Int16(bitPattern: 0xFE12))
            #expect(c.remaining == 1)
            #expect(try c.readBCD(1) == 34)
            #expect(c.isAtEnd)
        }
    }

    @Test func throwsInsteadOfOverreading() {
        let bytes: [UInt8] = [0x01, 0x02, 0x03]
        bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            #expect(throws: ByteCursorError(offset: 0, needed: 4, available: 3)) { try c.readUInt32() }
            #expect(c.offset == 0)
            #expect(throws: ByteCursorError.self) { try c.readBytes(Int(Int32.max)) }
            #expect(throws: ByteCursorError.self) { try c.skip(-1) }
            #expect(throws: ByteCursorError.self) { try c.readUInt64() }
        }
    }

    @Test func bcdRejectsNonDecimalNibbles() throws {
        let bytes: [UInt8] = [0x12, 0x3A]
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var c = ByteCursor(raw)
            #expect(try c.readBCD(2) == nil)
        }
    }

    @Test func subCursorIsBounded() throws {
        let bytes: [UInt8] = [0x02, 0xAA, 0xBB, 0xCC]
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var c = ByteCursor(raw)
            let n = Int(try c.readUInt8())
            var sub = try c.subCursor(n)
            #expect(try sub.readUInt16() == 0xAABB)
            #expect(throws: ByteCursorError.self) { try sub.readUInt8() }
            #expect(try c.readUInt8() == 0xCC)
        }
    }
}
