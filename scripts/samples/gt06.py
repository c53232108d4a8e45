#!/usr/bin/env python3
"""Generates the Concox GT06 sample captures and their expected output.

Written from the protocol description in docs/protocols.md section 4 (frames 0x7878/0x7979,
CRC-16/X-25, login, location 0x12/0x22, status 0x13, alarm 0x16, acks), independently of the
Swift decoder: each capture line and its expected fix, ack and outcome come from the same list
of intended messages below, so the expected output never comes from running the decoder.

Writes, in sample-data/gt06/:
  session.hex (+ .expected.jsonl, .expected.summary): one device's connection.
  before-login.hex (+ expected): data sent before the login.

Run: python3 scripts/samples/gt06.py
Decode like the tests do:
  fieldtrace decode --protocol gt06 --input hex --acks --now 2026-11-29T00:00:00Z FILE
"""
from datetime import datetime, timedelta, timezone
from fractions import Fraction
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "sample-data", "gt06")
NOW = datetime(2026, 11, 29, tzinfo=timezone.utc)  # the tests' --now
IMEI = "359339075091523"
# GPS week rollover (docs: dates more than ~19 years old are 1024 weeks too early).
ROLLOVER = timedelta(weeks=1024)
ROLLOVER_THRESHOLD = timedelta(days=19 * 365.25)


def crc_x25(data):
    """CRC-16/X-25: reflected polynomial 0x8408, initial 0xFFFF, final XOR 0xFFFF (bitwise)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def frame(number, content, serial, long_form=False, stop=b"\x0d\x0a", corrupt_crc=False):
    """start, length (protocol number + content + serial + CRC), number, content, serial, CRC, stop."""
    length = 1 + len(content) + 2 + 2
    body = (length.to_bytes(2, "big") if long_form else bytes([length])) + bytes([number]) + content
    body += serial.to_bytes(2, "big")
    crc = crc_x25(body) ^ (0x0001 if corrupt_crc else 0)
    return (b"\x79\x79" if long_form else b"\x78\x78") + body + crc.to_bytes(2, "big") + stop


def ack(number, serial):
    body = bytes([0x05, number]) + serial.to_bytes(2, "big")
    return b"\x78\x78" + body + crc_x25(body).to_bytes(2, "big") + b"\x0d\x0a"


def to_raw(degrees):
    """Degrees (decimal text) to the wire unit, |deg| x 1,800,000 rounded half up."""
    value = abs(Fraction(degrees)) * 1_800_000
    return int(value + Fraction(1, 2))


def raw_to_e7(raw):
    """Wire unit to 1e-7 degree, nearest, half away from zero (exact rational arithmetic)."""
    value = Fraction(raw * 10_000_000, 1_800_000)
    return int(value + Fraction(1, 2))


def e7_text(e7):
    """Exact decimal of a 1e-7 integer, trailing zeros trimmed, "0" for zero."""
    sign = "-" if e7 < 0 else ""
    whole, frac = divmod(abs(e7), 10_000_000)
    if frac == 0:
        return sign + str(whole)
    return sign + str(whole) + "." + ("%07d" % frac).rstrip("0")


def number_text(value):
    if value == int(value):
        return str(int(value))
    return repr(value)


class Position:
    """An intended position report and how the device encodes it."""

    def __init__(self, time, lat, lon, kmh=0, course=0, sats=9, positioned=True, device_time=None):
        self.time = time  # the true UTC time
        self.device_time = device_time or time  # what the device's clock says (rollover)
        self.lat, self.lon = lat, lon
        self.kmh, self.course, self.sats, self.positioned = kmh, course, sats, positioned

    def gps_block(self):
        t = self.device_time
        out = bytes([t.year - 2000, t.month, t.day, t.hour, t.minute, t.second])
        out += bytes([0xC0 | self.sats])
        out += to_raw(self.lat).to_bytes(4, "big") + to_raw(self.lon).to_bytes(4, "big")
        out += bytes([self.kmh])
        status = self.course
        if not self.lat.startswith("-"):
            status |= 1 << 10  # north
        if self.lon.startswith("-"):
            status |= 1 << 11  # west
        if self.positioned:
            status |= 1 << 12
        return out + status.to_bytes(2, "big")

    def expected(self, late=False):
        lat = raw_to_e7(to_raw(self.lat)) * (-1 if self.lat.startswith("-") else 1)
        lon = raw_to_e7(to_raw(self.lon)) * (-1 if self.lon.startswith("-") else 1)
        t = self.device_time
        if NOW - t > ROLLOVER_THRESHOLD:
            t += ROLLOVER
        assert t == self.time, "rollover model disagrees with the intended time"
        parts = [
            '"device":"%s"' % IMEI,
            '"time":"%s"' % (t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)),
            '"lat":%s' % e7_text(lat),
            '"lon":%s' % e7_text(lon),
            '"speed_mps":%s' % number_text(self.kmh / 3.6),
            '"course_deg":%s' % self.course,
            '"sats":%d' % self.sats,
            '"valid":%s' % ("true" if self.positioned else "false"),
            '"late":%s' % ("true" if late else "false"),
        ]
        return "{" + ",".join(parts) + "}"


CELL = bytes.fromhex("01CC00287D001FB8")  # MCC 460, MNC 0, LAC 0x287D, cell 0x001FB8


def login_content():
    digits = "0" + IMEI
    return bytes(int(digits[i]) << 4 | int(digits[i + 1]) for i in range(0, 16, 2))


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


class Capture:
    def __init__(self, name, header):
        self.name, self.header = name, header
        self.lines, self.expected = [], []
        self.counts = {"frames": 0, "fixes": 0, "ignored": 0}
        self.rejected = {}

    def add(self, comment, data, fix=None, late=False, acked=None, outcome=None):
        """outcome: 'fix', 'ignored' or a reject reason code."""
        self.lines.append("# " + comment)
        self.lines.append(data.hex(" "))
        if fix is not None:
            self.expected.append(fix.expected(late))
        if acked is not None:
            self.expected.append('{"ack":"%s"}' % ack(*acked).hex())
        self.counts["frames"] += 1
        if outcome in ("fix", "ignored"):
            self.counts["fixes" if outcome == "fix" else "ignored"] += 1
        else:
            self.rejected[outcome] = self.rejected.get(outcome, 0) + 1

    def write(self):
        base = os.path.join(OUT, self.name)
        with open(base + ".hex", "w") as f:
            f.write("".join("# " + line + "\n" for line in self.header))
            f.write("\n".join(self.lines) + "\n")
        with open(base + ".expected.jsonl", "w") as f:
            f.write("".join(line + "\n" for line in self.expected))
        total = sum(self.rejected.values())
        summary = "frames=%d fixes=%d ignored=%d rejected=%d" % (
            self.counts["frames"], self.counts["fixes"], self.counts["ignored"], total)
        if self.rejected:
            summary += " (" + " ".join("%s=%d" % kv for kv in sorted(self.rejected.items())) + ")"
        with open(base + ".expected.summary", "w") as f:
            f.write(summary + "\n")


HEADER = [
    "Generated by scripts/samples/gt06.py from the protocol description (docs/protocols.md",
    "section 4), not captured from a device and not produced by the decoder under test.",
    "Concox GT06, one frame per line as hex; decode with --input hex --now 2026-11-29T00:00:00Z.",
]


def no_start_pair_after_first(data):
    """A malformed frame must not hide a start pair after its first byte (the resync point)."""
    rest = data[1:]
    return b"\x78\x78" not in rest and b"\x79\x79" not in rest


def session():
    c = Capture("session", HEADER + [
        "Covers: login; moving 0x12 and 0x22; 0x22 re-upload (late); stationary; not positioned;",
        "southern/western hemispheres; heartbeat 0x13; alarm 0x16; a 0x7979 0x94 frame (ignored, no",
        "ack); a GPS week-rollover date; garbage between frames; bad CRC; bad stop bytes; content",
        "shorter than the message needs; an impossible date; a frame cut off at the end.",
    ])
    c.add("login 0x01, IMEI " + IMEI, frame(0x01, login_content(), 1), acked=(0x01, 1), outcome="ignored")
    moving = Position(utc(2026, 11, 28, 8, 0, 0), "31.2304", "121.4737", kmh=36, course=90)
    c.add("0x12 location, moving (Shanghai, 36 km/h, course 90)", frame(0x12, moving.gps_block() + CELL, 2),
          fix=moving, acked=(0x12, 2), outcome="fix")
    moving22 = Position(utc(2026, 11, 28, 8, 0, 10), "31.2311", "121.4752", kmh=54, course=45, sats=11)
    tail = bytes([0x01, 0x00, 0x00]) + (123456).to_bytes(4, "big")  # ACC on, mode 0, real time, mileage
    c.add("0x22 location, moving, real time, with mileage", frame(0x22, moving22.gps_block() + CELL + tail, 3),
          fix=moving22, acked=(0x22, 3), outcome="fix")
    stored = Position(utc(2026, 11, 27, 22, 15, 0), "31.1979", "121.3364", kmh=72, course=270, sats=8)
    tail = bytes([0x01, 0x00, 0x01])  # ACC on, mode 0, re-upload; no mileage
    c.add("0x22 location, re-upload of a stored position (late)", frame(0x22, stored.gps_block() + CELL + tail, 4),
          fix=stored, late=True, acked=(0x22, 4), outcome="fix")
    stationary = Position(utc(2026, 11, 28, 8, 5, 0), "31.2311", "121.4752", kmh=0, course=0, sats=10)
    c.add("0x12 location, stationary", frame(0x12, stationary.gps_block() + CELL, 5),
          fix=stationary, acked=(0x12, 5), outcome="fix")
    nofix = Position(utc(2026, 11, 28, 8, 6, 0), "31.2311", "121.4752", sats=0, positioned=False)
    c.add("0x12 location, not positioned (last known position, valid=false)", frame(0x12, nofix.gps_block() + CELL, 6),
          fix=nofix, acked=(0x12, 6), outcome="fix")
    sydney = Position(utc(2026, 11, 28, 9, 0, 0), "-33.8688197", "151.2092955", kmh=18, course=180, sats=7)
    c.add("0x12 location, southern hemisphere (Sydney)", frame(0x12, sydney.gps_block() + CELL, 7),
          fix=sydney, acked=(0x12, 7), outcome="fix")
    newyork = Position(utc(2026, 11, 28, 9, 30, 0), "40.7127753", "-74.0059728", kmh=25, course=359, sats=12)
    c.add("0x22 location, western hemisphere (New York)", frame(0x22, newyork.gps_block() + CELL + b"\x00\x01\x00", 8),
          fix=newyork, acked=(0x22, 8), outcome="fix")
    buenos = Position(utc(2026, 11, 28, 10, 0, 0), "-34.6037345", "-58.3815704", kmh=100, course=300, sats=6)
    c.add("0x12 location, southern and western hemispheres (Buenos Aires)", frame(0x12, buenos.gps_block() + CELL, 9),
          fix=buenos, acked=(0x12, 9), outcome="fix")
    c.add("0x13 status/heartbeat (ignored, acked)", frame(0x13, bytes.fromhex("4606040002"), 10),
          acked=(0x13, 10), outcome="ignored")
    alarm = Position(utc(2026, 11, 28, 10, 5, 0), "-34.6040000", "-58.3820000", kmh=3, course=12, sats=6)
    lbs = bytes([0x09]) + CELL
    c.add("0x16 alarm (SOS) with a GPS block: a fix, acked",
          frame(0x16, alarm.gps_block() + lbs + bytes.fromhex("4606040102"), 11),
          fix=alarm, acked=(0x16, 11), outcome="fix")
    c.add("0x7979 frame, 0x94 information transfer (external voltage): ignored, no ack",
          frame(0x94, bytes.fromhex("0004D2"), 12, long_form=True), outcome="ignored")
    true_time = utc(2026, 11, 28, 11, 0, 0)
    rolled = Position(true_time, "31.2304", "121.4737", kmh=0, course=0, device_time=true_time - ROLLOVER)
    c.add("0x12 location from a receiver 1024 GPS weeks behind (reports %s)" % rolled.device_time.date(),
          frame(0x12, rolled.gps_block() + CELL, 13), fix=rolled, acked=(0x12, 13), outcome="fix")
    c.add("garbage between frames (one bad_framing per run)", bytes.fromhex("00 11 22 33 44 55"),
          outcome="bad_framing")
    good = Position(utc(2026, 11, 28, 11, 1, 0), "31.2304", "121.4737")
    bad_crc = frame(0x12, good.gps_block() + CELL, 14, corrupt_crc=True)
    c.add("0x12 location with a bad CRC (rejected, no ack)", bad_crc, outcome="bad_checksum")
    bad_stop = frame(0x13, bytes.fromhex("4606040002"), 15, stop=b"\x0d\x0b")
    assert no_start_pair_after_first(bad_stop)
    c.add("0x13 with stop bytes 0D 0B (rejected, resync at the next start)", bad_stop, outcome="bad_framing")
    short = frame(0x12, (good.gps_block() + CELL)[:20], 16)
    c.add("0x12 whose content is 20 bytes, short of 26 (length and CRC consistent)", short, outcome="truncated")
    bad_date = bytearray(good.gps_block())
    bad_date[1:3] = bytes([2, 30])  # 30 February
    c.add("0x12 with the date 2026-02-30", frame(0x12, bytes(bad_date) + CELL, 17), outcome="bad_time")
    after = Position(utc(2026, 11, 28, 11, 2, 0), "31.2305", "121.4738", kmh=5, course=10)
    c.add("0x12 location after the malformed frames", frame(0x12, after.gps_block() + CELL, 18),
          fix=after, acked=(0x12, 18), outcome="fix")
    cut = frame(0x12, after.gps_block() + CELL, 19)[:-7]
    c.add("0x12 location cut off by the end of the capture (incomplete)", cut, outcome="incomplete")
    c.write()


def before_login():
    c = Capture("before-login", HEADER + [
        "Covers: a location and a heartbeat sent before the login (no_identity, no ack), then the",
        "login and the same location again (a fix).",
    ])
    position = Position(utc(2026, 11, 28, 12, 0, 0), "22.5431", "114.0579", kmh=40, course=200, sats=9)
    c.add("0x12 location before login", frame(0x12, position.gps_block() + CELL, 1), outcome="no_identity")
    c.add("0x13 heartbeat before login", frame(0x13, bytes.fromhex("4606040002"), 2), outcome="no_identity")
    c.add("login 0x01", frame(0x01, login_content(), 3), acked=(0x01, 3), outcome="ignored")
    c.add("0x12 location after login", frame(0x12, position.gps_block() + CELL, 4),
          fix=position, acked=(0x12, 4), outcome="fix")
    c.write()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    session()
    before_login()
