import FieldtraceCore
import FieldtraceTestSupport
import NIOCore
import NIOPosix
import Synchronization

/// Counters of a fleet run, shared by its trackers.
final class DemoCounters: Sendable {
    /// Fixes the server acknowledged (TCP protocols).
    let acked = Atomic<Int>(0)
    /// NMEA datagrams sent (UDP has no acks).
    let sentUDP = Atomic<Int>(0)
    /// TCP trackers logged in right now.
    let connected = Atomic<Int>(0)
    /// Connections that failed or dropped (each is retried with backoff).
    let reconnects = Atomic<Int>(0)
    /// Trackers the server refused (device not admitted): they stop.
    let refused = Atomic<Int>(0)
    let lastError = Mutex<String?>(nil)

    func fail(_ message: String) {
        reconnects.add(1, ordering: .relaxed)
        lastError.withLock { $0 = message }
    }
}

/// One demo worker's fixes: the simulated day, then parked fixes once a minute, each handed
/// out when the demo clock reaches its time; kept until delivered.
final class DemoTracker {
    let worker: DemoFleet.Worker
    let fleet: DemoFleet
    let day: DemoFleet.Day
    let clock: DemoClock
    /// Fixes due and not yet delivered (acked, for TCP), in time order.
    var queue: [Fix] = []
    private var nextDayFix = 0
    private var nextParkedMs: Int64?
    private let parkedMs = Int64(DemoFleet.parkedIntervalSeconds) * 1000

    /// `resumeAfterMs`: the newest fix the server already stored for this worker (a previous
    /// run); fixes up to it are skipped.
    init(worker: DemoFleet.Worker, fleet: DemoFleet, clock: DemoClock, resumeAfterMs: Int64? = nil) {
        self.worker = worker
        self.fleet = fleet
        self.clock = clock
        day = fleet.day(worker: worker.index, dayStartMs: clock.dayStartMs)
        if let resumeAfterMs {
            nextDayFix = day.fixes.partitioningIndex(where: { $0.timeMs > resumeAfterMs })
            if nextDayFix == day.fixes.count { nextParkedMs = resumeAfterMs + parkedMs }
        }
    }

    /// Moves the fixes due at real time `realMs` into the queue (at most `limit` queued).
    func collect(realMs: Int64, limit: Int) {
        let now = clock.simulatedMs(realMs: realMs)
        while nextDayFix < day.fixes.count, day.fixes[nextDayFix].timeMs <= now, queue.count < limit {
            queue.append(day.fixes[nextDayFix])
            nextDayFix += 1
        }
        guard nextDayFix == day.fixes.count else { return }
        var next = nextParkedMs ?? ((day.fixes.last?.timeMs ?? clock.dayStartMs) + parkedMs)
        // After the time line jumped to live time, the night is not back-filled.
        let second = now / 1000 * 1000
        if next < second - parkedMs { next = second }
        while next <= now, queue.count < limit {
            queue.append(
                fleet.parkedFix(
                    worker: worker.index, timeMs: next, latitudeE7: day.parkedLatitudeE7,
                    longitudeE7: day.parkedLongitudeE7))
            next += parkedMs
        }
        nextParkedMs = next
    }

    /// The simulated time of the newest fix handed out, ms UTC.
    var lastHandedOutMs: Int64? {
        if let parked = nextParkedMs { return parked - parkedMs }
        return nextDayFix > 0 ? day.fixes[nextDayFix - 1].timeMs : nil
    }
}

/// Why a session ended without a retry.
struct DemoRefused: Error, CustomStringConvertible {
    var description: String
}

/// A TCP session of one tracker: login, then frames each answered before the next goes out.
struct DemoSession {
    /// How long a reply may take before the connection is given up (and retried).
    static let replyTimeout = TimeAmount.seconds(10)

    let wire: DemoFleet.Wire
    let id: String
    let terminal: Int
    let channel: Channel
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var reader: DemoReplyReader
    var jt808: JT808Encoder
    var gt06Serial: UInt16 = 0

    init(
        wire: DemoFleet.Wire, id: String, terminal: Int, channel: Channel,
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.wire = wire
        self.id = id
        self.terminal = terminal
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        reader = DemoReplyReader(wire)
        jt808 = JT808Encoder(phone: wire == .jt808 ? id : "000000000000", serial: 1)
    }

    mutating func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// The next reply; the connection is closed if none comes within `replyTimeout`.
    mutating func reply() async throws -> DemoReply {
        let channel = self.channel
        let timeout = channel.eventLoop.scheduleTask(in: Self.replyTimeout) { channel.close(promise: nil) }
        defer { timeout.cancel() }
        while true {
            if let reply = reader.next() { return reply }
            guard let chunk = try await inbound.next() else { throw DemoRefused(description: "connection closed") }
            reader.append(chunk.readableBytesView)
        }
    }

    /// The protocol's login; throws `DemoRefused` when the server refuses the device.
    mutating func login() async throws {
        switch wire {
        case .teltonika:
            try await write(TeltonikaEncoder.handshake(imei: id))
            guard case .teltonikaHandshake(true) = try await reply() else {
                throw DemoRefused(description: "\(id): Teltonika handshake refused")
            }
        case .gt06:
            gt06Serial &+= 1
            try await write(GT06Encoder.login(imei: id, serial: gt06Serial))
            guard case .gt06Ack(0x01, _) = try await reply() else { throw DemoLinkError("\(id): no GT06 login ack") }
        case .jt808:
            try await write(jt808.frame(messageID: 0x0100, body: DemoFrames.jt808Registration(terminal: terminal)))
            guard case .jt808Registration(let result, let code) = try await reply() else {
                throw DemoLinkError("\(id): no JT/T 808 registration reply")
            }
            guard result == 0 else { throw DemoRefused(description: "\(id): JT/T 808 registration result \(result)") }
            try await write(jt808.frame(messageID: 0x0102, body: code))
            guard case .jt808General(_, 0x0102, 0) = try await reply() else {
                throw DemoRefused(description: "\(id): JT/T 808 authentication refused")
            }
        case .nmea:
            preconditionFailure("NMEA goes over UDP")
        }
    }

    /// Sends `fixes` in one frame (GT06: the first one) and waits for its ack; returns how many
    /// fixes the ack covers.
    mutating func deliver(_ fixes: ArraySlice<Fix>) async throws -> Int {
        switch wire {
        case .teltonika:
            try await write(TeltonikaEncoder.tcpPacket(fixes.map(DemoFrames.teltonikaRecord)))
            guard case .teltonikaCount(let n) = try await reply(), n == fixes.count else {
                throw DemoLinkError("\(id): Teltonika packet of \(fixes.count) not acked in full")
            }
            return n
        case .jt808:
            let (frame, messageID) = DemoFrames.jt808Location(fixes, encoder: &jt808)
            try await write(frame)
            guard case .jt808General(_, messageID, let result) = try await reply() else {
                throw DemoLinkError("\(id): no JT/T 808 reply to 0x\(String(messageID, radix: 16))")
            }
            if result == 1 { throw DemoRefused(description: "\(id): JT/T 808 terminal refused") }
            guard result == 0 else { throw DemoLinkError("\(id): JT/T 808 result \(result)") }
            return fixes.count
        case .gt06:
            gt06Serial &+= 1
            let serial = gt06Serial
            try await write(GT06Encoder.location(fixes[fixes.startIndex], protocolNumber: 0x22, serial: serial))
            guard case .gt06Ack(0x22, serial) = try await reply() else {
                throw DemoLinkError("\(id): no GT06 ack for serial \(serial)")
            }
            return 1
        case .nmea:
            preconditionFailure("NMEA goes over UDP")
        }
    }
}

/// A connection problem: the session is retried.
struct DemoLinkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Array {
    /// The first index whose element satisfies `belongs` (which must be false then true along
    /// the array); `count` if none. O(log n).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
