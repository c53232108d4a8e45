import FieldtraceCore

/// `0x0100` terminal registration, answered with `0x8100` (result 0 and the authentication code
/// from `WireConfiguration.jt808AuthCode`, or result 4 for a refused terminal).
///
/// Body (2013): province (2), city/county (2), manufacturer id (5), terminal model (20),
/// terminal id (7), plate colour (1), plate (rest, GBK). 2019 widens manufacturer to 11, model
/// and terminal id to 30; the 2011 edition narrows the model to 8. Only province and city are
/// read: the rest varies by edition and firmware and Fieldtrace does not use it.
public struct JT808Registration: Sendable, Hashable {
    public static let messageID: UInt16 = 0x0100

    /// Province code (GB/T 2260 first two digits).
    public var province: UInt16
    /// City or county code.
    public var city: UInt16

    public static func read(_ cursor: inout ByteCursor) throws(JT808Error) -> JT808Registration {
        do throws(ByteCursorError) {
            return JT808Registration(province: try cursor.readUInt16(), city: try cursor.readUInt16())
        } catch {
            throw .overrun(error)
        }
    }
}
