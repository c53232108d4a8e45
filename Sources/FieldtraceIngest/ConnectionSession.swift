import FieldtraceCore

/// What the server knows about one TCP connection besides its decoder's state: who the peer
/// is, which device it named, and the run of bad frames.
struct ConnectionSession {
    /// The peer's IP address (the per-IP cap's key), if the socket has one.
    let ip: String?
    /// The device the stream named (login, IMEI, `$PGID`, JT/T 808 phone number).
    private(set) var device: DeviceID?
    /// Rejected frames since the last read that held a good frame.
    private(set) var consecutiveBadFrames = 0
    /// Fixes and frames over the connection's life (logged when it closes).
    var fixes = 0
    var frames = 0

    init(ip: String?) {
        self.ip = ip
    }

    /// Records the identity a decoder reported; `true` when it is new or changed.
    mutating func identify(_ id: DeviceID) -> Bool {
        guard id != device else { return false }
        device = id
        return true
    }

    /// Records one `consume`'s frames and rejections; `true` when the run of bad frames
    /// reached `limit`. A consume with any good frame resets the run (the frames of one call
    /// are not ordered against each other in the counters).
    mutating func record(frames newFrames: Int, rejected: Int, limit: Int) -> Bool {
        frames += newFrames
        if newFrames > rejected {
            consecutiveBadFrames = 0
        } else {
            consecutiveBadFrames += rejected
        }
        return consecutiveBadFrames >= limit
    }
}
