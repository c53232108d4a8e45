import FieldtraceStore
import FieldtraceTestSupport

/// The demo's time line: which working day is simulated, and the fix time that is "now" for
/// the simulated fleet at each real instant.
///
/// The day is a weekday (Monday to Friday, the shifts' days) in the city's time zone: today if
/// its window (06:30-18:00 local) has started, else the latest weekday before. Fix times are
/// real UTC instants of that day, so the shifts, attendance and reports read true local times.
///
/// Simulated time runs `speed` times faster than real time from `start` (the window's start, or
/// where a previous run on the same data stopped), and never
/// passes real time (the server rejects fixes from the future):
/// `simulated(r) = min(start + speed × (r - r0), r)` while that is before the window's end,
/// then `r` (live: the workers are parked and report in real time).
/// - Today's window has started: the morning so far is replayed fast, then the day goes on live.
/// - Today is over, or a weekend, or before 06:30: the whole day (in the past) is replayed, then
///   the time line jumps to now and goes on live.
struct DemoClock: Sendable {
    /// The local date simulated.
    let date: LocalDate
    /// The window's start and end, ms UTC.
    let dayStartMs: Int64
    let dayEndMs: Int64
    /// Simulated ms per real ms while catching up.
    let speed: Double
    /// The real instant the fleet started, ms UTC.
    let realStartMs: Int64
    /// The simulated time at `realStartMs`: the window's start, or where a previous run stopped.
    let startMs: Int64

    /// `day`: the local date to simulate (its window must have started); nil: `demoDate`.
    /// `resumeMs`: start the simulated time there instead of the window's start (clamped to the
    /// window), so a rerun continues the day where the last run stopped.
    init(nowMs: Int64, speed: Double, zone: GroupTimeZone, day: LocalDate? = nil, resumeMs: Int64? = nil) {
        precondition(speed >= 1, "the demo never runs slower than real time")
        date = day ?? Self.demoDate(nowMs: nowMs, zone: zone)
        dayStartMs = zone.utcMs(of: date, minuteOfDay: DemoFleet.windowStartMinute)
        dayEndMs = dayStartMs + Int64(DemoFleet.windowSeconds) * 1000
        self.speed = speed
        realStartMs = nowMs
        startMs = min(max(resumeMs ?? dayStartMs, dayStartMs), dayEndMs)
    }

    /// The latest weekday whose window has started by `nowMs`.
    static func demoDate(nowMs: Int64, zone: GroupTimeZone) -> LocalDate {
        var date = zone.localDate(atUTCMs: nowMs)
        for _ in 0..<8 {
            if date.weekday <= 4, zone.utcMs(of: date, minuteOfDay: DemoFleet.windowStartMinute) <= nowMs {
                return date
            }
            date = date.adding(days: -1)
        }
        return date
    }

    /// The simulated "now" (a fix time) at real time `realMs`; never after `realMs`.
    func simulatedMs(realMs: Int64) -> Int64 {
        let accelerated = startMs + Int64((Double(realMs - realStartMs) * speed).rounded(.down))
        return accelerated < dayEndMs ? min(accelerated, realMs) : realMs
    }

    /// Local minutes of the day of a simulated instant (for progress lines).
    static func localClock(_ ms: Int64, zone: GroupTimeZone) -> String {
        let local = ms + Int64(zone.offsetMinutes(atUTCMs: ms)) * 60_000
        let minutes = Int(((local % 86_400_000) + 86_400_000) % 86_400_000 / 60_000)
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
