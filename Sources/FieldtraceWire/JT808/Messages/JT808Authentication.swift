/// `0x0102` terminal authentication, answered with `0x8001`: result 0 when the code is the one
/// this platform hands out in `0x8100` (`WireConfiguration.jt808AuthCode`), 1 otherwise (the
/// standard's flow then has the terminal register again and receive the right code).
///
/// Body (2013): the authentication code (the whole body; trailing NUL padding ignored).
/// 2019: code length (1), code, IMEI (15), software version (20).
enum JT808Authentication {
    static let messageID: UInt16 = 0x0102

    /// The code's bytes, borrowed from the body.
    static func code(in body: UnsafeRawBufferPointer, is2019: Bool) throws(JT808Error) -> UnsafeRawBufferPointer {
        if is2019 {
            guard let length = body.first.map(Int.init) else { throw .truncated(neededBytes: 1, availableBytes: 0) }
            guard length + 1 <= body.count else {
                throw .truncated(neededBytes: length + 1, availableBytes: body.count)
            }
            return UnsafeRawBufferPointer(rebasing: body[1..<(1 + length)])
        }
        var end = body.count
        while end > 0, body[end - 1] == 0 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: body[0..<end])
    }
}
