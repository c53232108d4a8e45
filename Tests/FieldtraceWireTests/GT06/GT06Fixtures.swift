import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// Shared values and helpers for the GT06 tests.
enum GT06Fixtures {
    static let imei = "359339075091523"
    static var device: DeviceID { DeviceID(imei)! }
    static let receivedMs = DecoderHarness.defaultReceivedMs

    /// The examples of the Concox GT06 protocol document (CRCs checked independently).
    static let docLogin = Hex.decode("78780D01012345678901234500018CDD0D0A")!
    static let docLoginAck = Hex.decode("787805010001D9DC0D0A")!
    static let docLocation = Hex.decode("78781F120B081D112E10CF027AC7EB0C46584900148F01CC00287D001FB8000380810D0A")!
    static let docHeartbeat = Hex.decode("78780A134004040001000FDCEE0D0A")!

    /// Runs a parser over content bytes, catching its typed error.
    static func parse<T>(
        _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(GT06Error) -> T
    ) -> Result<T, GT06Error> {
        bytes.withUnsafeBytes { raw in
            do throws(GT06Error) {
                return .success(try body(raw))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The error a parser threw, or nil.
    static func error<T>(_ result: Result<T, GT06Error>) -> GT06Error? {
        if case .failure(let error) = result { return error }
        return nil
    }

    /// A fix at 2025-11-28T10:20:30Z, Shanghai, 36 km/h, course 90, 9 satellites.
    static func fix(
        latitudeE7: Int32 = 312_304_000, longitudeE7: Int32 = 1_214_737_000, timeMs: Int64 = 1_764_325_230_000,
        speedMps: Double = 10, courseDeg: Double = 90, valid: Bool = true
    ) -> Fix {
        Fix(
            device: device, timeMs: timeMs, latitudeE7: latitudeE7, longitudeE7: longitudeE7, speedMps: speedMps,
            courseDeg: courseDeg, satellites: 9, flags: valid ? .valid : [], source: .gt06)
    }

    /// GPS block content bytes with chosen raw fields.
    static func gpsBlock(
        date: [UInt8] = [25, 11, 28, 10, 20, 30], info: UInt8 = 0xC9, latitudeRaw: UInt32 = 56_214_720,
        longitudeRaw: UInt32 = 218_652_660, speed: UInt8 = 36, courseStatus: UInt16 = 0x1400 | 90
    ) -> [UInt8] {
        date + [info] + bigEndian(latitudeRaw) + bigEndian(longitudeRaw) + [speed]
            + [UInt8(courseStatus >> 8), UInt8(courseStatus & 0xFF)]
    }

    static let cell: [UInt8] = [0x01, 0xCC, 0x00, 0x28, 0x7D, 0x00, 0x1F, 0xB8]

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}
