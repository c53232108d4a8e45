/// `0x0002` terminal heartbeat: an empty body, answered with `0x8001` result 0 and counted as
/// ignored (it carries no position). A heartbeat with a body is answered the same way: nothing
/// in it is used.
enum JT808Heartbeat {
    static let messageID: UInt16 = 0x0002
}
