import NIOCore

/// One simulated tracker's state, owned by its shard's event loop: its schedule, the fixes it
/// recorded and not yet delivered, the frame in flight, and its link to the server.
struct SimulatedDevice {
    enum Link: Equatable {
        /// No connection; connect at `retryAtUs`.
        case down
        case connecting
        /// Connected; the login step `step` was sent and waits for its reply.
        case login(step: Int)
        /// Logged in: frames flow.
        case ready
        /// Inside its offline window: nothing is sent, fixes go to the backlog.
        case offline
        /// The server refused the device: it stops.
        case refused
    }

    /// What the frame in flight carries: `live` fixes from the front of the live queue and
    /// `backlog` from the front of the backlog queue.
    struct InFlight {
        var live: Int
        var backlog: Int
        var kind: FrameKind
        var serial: UInt16
        /// When this frame was last sent, µs since the run's start.
        var sentUs: Int64
        /// 1 after the first send.
        var attempts: Int
        /// The connection dropped: send it again once logged in.
        var needsResend: Bool
        var fixes: Int { live + backlog }
    }

    enum FrameKind: Equatable {
        case teltonika
        case jt808Location
        case jt808Batch(backfill: Bool)
        case gt06Location(reupload: Bool)
    }

    let proto: LoadProtocol
    let globalIndex: Int
    /// The identity as ASCII: the ledger's device column, the Teltonika IMEI, the `$PGID` id.
    let id: [UInt8]
    /// Bytes sent first on every connection (NMEA `$PGID`, Teltonika IMEI handshake); for UDP
    /// NMEA the prefix of every datagram.
    let prefix: [UInt8]
    /// JT/T 808: the terminal phone number as BCD (empty for other protocols).
    let phoneBCD: [UInt8]
    /// Offset of this device's schedule in the interval, µs.
    let phaseUs: Int64
    let fixCount: Int
    /// The offline window, µs since the run's start.
    let offline: Range<Int64>?
    let udpSocket: Int

    var nextFix = 0
    var live = FixQueue()
    var backlog = FixQueue()
    var inFlight: InFlight?
    var link = Link.down
    var retryAtUs: Int64 = 0
    var backoffUs: Int64 = 0
    /// When the pending login step was sent, µs since the run's start.
    var loginSentUs: Int64 = 0
    /// Consecutive connections that ended before the login was answered.
    var failedLogins = 0
    /// Bumped whenever a connection is replaced, so callbacks of an old one are ignored.
    var generation: UInt32 = 0
    var serial: UInt16 = 0
    var avlPacketID: UInt8 = 0
    /// UDP: the packet id of the datagram in flight.
    var packetID: UInt16 = 0
    /// JT/T 808: the authentication code from the registration reply.
    var authCode: [UInt8]?

    init(
        proto: LoadProtocol, globalIndex: Int, phaseUs: Int64, fixCount: Int, offline: Range<Int64>?,
        udpSocket: Int
    ) {
        self.proto = proto
        self.globalIndex = globalIndex
        let text = proto.deviceID(index: globalIndex)
        self.id = Array(text.utf8)
        switch proto {
        case .nmea: prefix = NMEAFrames.pgid(text)
        case .teltonika: prefix = TeltonikaFrames.handshake(text)
        case .jt808, .gt06: prefix = []
        }
        phoneBCD = proto == .jt808 ? JT808Frames.phoneBCD(text) : []
        self.phaseUs = phaseUs
        self.fixCount = fixCount
        self.offline = offline
        self.udpSocket = udpSocket
    }

    mutating func nextSerial() -> UInt16 {
        serial &+= 1
        return serial
    }

    /// Fixes recorded and not yet acked (or sent, for protocols without acks).
    var outstanding: Int { live.count + backlog.count }

    func isOffline(_ nowUs: Int64) -> Bool { offline?.contains(nowUs) ?? false }

    /// What the next frame should carry, or nil when nothing should go now. `final`: the run's
    /// recording ended, so partial Teltonika packets go at once.
    func plan(nowUs: Int64, startMs: Int64, recordsPerFrame r: Int, sendPeriodUs: Int64, final: Bool)
        -> (live: Int, backlog: Int, kind: FrameKind)?
    {
        switch proto {
        case .teltonika:
            let b = min(backlog.count, r)
            let l = min(live.count, r - b)
            guard b + l > 0 else { return nil }
            if b == 0 && l < r && !final, let first = live.first,
                nowUs - (first.timeMs - startMs) * 1000 < sendPeriodUs
            {
                return nil
            }
            return (l, b, .teltonika)
        case .jt808:
            if !live.isEmpty {
                let l = min(live.count, r)
                return (l, 0, l == 1 ? .jt808Location : .jt808Batch(backfill: false))
            }
            guard !backlog.isEmpty else { return nil }
            return (0, min(backlog.count, r), .jt808Batch(backfill: true))
        case .gt06:
            if !live.isEmpty { return (1, 0, .gt06Location(reupload: false)) }
            guard !backlog.isEmpty else { return nil }
            return (0, 1, .gt06Location(reupload: true))
        case .nmea:
            return nil  // no acks: NMEA frames are written by the shard without a plan
        }
    }

    /// When a partial Teltonika packet becomes due, µs since the start.
    func sendDueUs(startMs: Int64, sendPeriodUs: Int64) -> Int64? {
        guard proto == .teltonika, let first = live.first else { return nil }
        return (first.timeMs - startMs) * 1000 + sendPeriodUs
    }
}
