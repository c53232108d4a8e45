#!/usr/bin/env python3
"""Writes the JT/T 808 sample captures in sample-data/jt808 and their expected output.

An encoder of its own, written from the spec (docs protocols.md section 2, JT/T 808-2013 and
-2019), standard library only. Each capture is built from a list of intended messages; the
expected fixes, acks and summary are computed here from the same intended values (and the
decoder's documented rules), never by running the Swift decoder.

Usage: scripts/samples/jt808.py            (writes the files)
       scripts/samples/jt808.py --check    (exits 1 if a file would change)
"""
import datetime as dt
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sample-data", "jt808")
NOW = dt.datetime(2026, 11, 29, 0, 0, 0, tzinfo=dt.timezone.utc)  # the --now of SampleCaptureTests
AUTH_CODE = b"FIELDTRACE"  # WireConfiguration.jt808AuthCode default
BEIJING = dt.timedelta(hours=8)
GPS_WEEKS_1024 = dt.timedelta(weeks=1024)
ROLLOVER_THRESHOLD = dt.timedelta(days=19 * 365.25)


# ---------------------------------------------------------------- framing (from the spec)

def escape(data: bytes) -> bytes:
    out = bytearray()
    for b in data:
        if b == 0x7E:
            out += b"\x7d\x02"
        elif b == 0x7D:
            out += b"\x7d\x01"
        else:
            out.append(b)
    return bytes(out)


def xor(data: bytes) -> int:
    x = 0
    for b in data:
        x ^= b
    return x


def bcd(digits: str) -> bytes:
    assert len(digits) % 2 == 0 and digits.isdigit()
    return bytes(int(digits[i]) << 4 | int(digits[i + 1]) for i in range(0, len(digits), 2))


def u16(v: int) -> bytes:
    return v.to_bytes(2, "big")


def u32(v: int) -> bytes:
    return v.to_bytes(4, "big")


class Terminal:
    """A terminal: its phone number, header edition and message serial."""

    def __init__(self, phone: str, edition: int = 2013, version: int = 1, serial: int = 0):
        assert len(phone) == (12 if edition == 2013 else 20)
        self.phone = phone
        self.edition = edition
        self.version = version
        self.serial = serial

    def header(self, msg_id: int, body_len: int, serial: int, attr_extra: int = 0, package=None) -> bytes:
        attr = (body_len & 0x3FF) | attr_extra
        if self.edition == 2019:
            attr |= 0x4000
        if package:
            attr |= 0x2000
        h = u16(msg_id) + u16(attr)
        if self.edition == 2019:
            h += bytes([self.version])
        h += bcd(self.phone) + u16(serial)
        if package:
            h += u16(package[0]) + u16(package[1])
        return h

    def next_serial(self) -> int:
        s = self.serial
        self.serial = (self.serial + 1) & 0xFFFF
        return s


def frame(plain_without_check: bytes, check=None) -> bytes:
    c = xor(plain_without_check) if check is None else check
    return b"\x7e" + escape(plain_without_check + bytes([c])) + b"\x7e"


# ---------------------------------------------------------------- bodies

def bcd_time(utc: dt.datetime) -> bytes:
    local = utc + BEIJING
    return bcd(local.strftime("%y%m%d%H%M%S"))


class Loc:
    """An intended position report."""

    def __init__(self, time, lat_e6, lon_e6, alt=0, speed=0, direction=0, positioned=True, acc=True,
                 sats=None, mileage=None, signal=None, alarm=0, extra_items=b"", raw_time=None):
        self.time = time  # true UTC time (datetime)
        self.lat_e6 = lat_e6  # signed, 1e-6 degree
        self.lon_e6 = lon_e6
        self.alt = alt  # m
        self.speed = speed  # 0.1 km/h
        self.direction = direction
        self.positioned = positioned
        self.acc = acc
        self.sats = sats
        self.mileage = mileage
        self.signal = signal
        self.alarm = alarm
        self.extra_items = extra_items
        self.raw_time = raw_time  # BCD bytes the terminal sends, when not the true time

    def body(self) -> bytes:
        status = (1 if self.acc else 0) | (2 if self.positioned else 0)
        status |= 4 if self.lat_e6 < 0 else 0
        status |= 8 if self.lon_e6 < 0 else 0
        b = u32(self.alarm) + u32(status) + u32(abs(self.lat_e6)) + u32(abs(self.lon_e6))
        b += u16(self.alt) + u16(self.speed) + u16(self.direction)
        b += self.raw_time if self.raw_time is not None else bcd_time(self.time)
        if self.mileage is not None:
            b += bytes([0x01, 4]) + u32(self.mileage)
        b += self.extra_items
        if self.signal is not None:
            b += bytes([0x30, 1, self.signal])
        if self.sats is not None:
            b += bytes([0x31, 1, self.sats])
        return b


def e7_text(e7: int) -> str:
    sign = "-" if e7 < 0 else ""
    whole, frac = divmod(abs(e7), 10_000_000)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}." + f"{frac:07d}".rstrip("0")


def num_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return repr(v)


def fix_line(device: str, loc: Loc, late: bool) -> str:
    parts = [f'"device":"{device}"',
             f'"time":"{loc.time.strftime("%Y-%m-%dT%H:%M:%S")}.{loc.time.microsecond // 1000:03d}Z"',
             f'"lat":{e7_text(loc.lat_e6 * 10)}', f'"lon":{e7_text(loc.lon_e6 * 10)}',
             f'"alt_m":{loc.alt}', f'"speed_mps":{num_text(loc.speed / 36)}']
    if loc.direction < 360:
        parts.append(f'"course_deg":{loc.direction}')
    if loc.sats is not None:
        parts.append(f'"sats":{loc.sats}')
    parts.append(f'"valid":{"true" if loc.positioned else "false"}')
    parts.append(f'"late":{"true" if late else "false"}')
    return "{" + ",".join(parts) + "}"


# ---------------------------------------------------------------- the platform's side

class Platform:
    """What the platform answers, and the expected output lines and counters."""

    def __init__(self):
        self.serial = 0
        self.lines = []  # hex capture lines, with comments
        self.expected = []
        self.frames = self.fixes = self.ignored = 0
        self.rejected = {}

    def reply(self, term: Terminal, msg_id: int, body: bytes) -> bytes:
        plain = term.header(msg_id, len(body), self.serial) + body
        self.serial = (self.serial + 1) & 0xFFFF
        return frame(plain)

    def general(self, term, serial, msg_id, result) -> bytes:
        return self.reply(term, 0x8001, u16(serial) + u16(msg_id) + bytes([result]))

    def reject(self, reason, n=1):
        self.rejected[reason] = self.rejected.get(reason, 0) + n

    def emit(self, comment, wire: bytes, fixes=(), acks=()):
        self.lines.append(f"# {comment}")
        self.lines.append(wire.hex(" "))
        self.expected += list(fixes)
        self.expected += [f'{{"ack":"{a.hex()}"}}' for a in acks]

    def summary(self) -> str:
        total = sum(self.rejected.values())
        text = f"frames={self.frames} fixes={self.fixes} ignored={self.ignored} rejected={total}"
        if self.rejected:
            text += " (" + " ".join(f"{k}={v}" for k, v in sorted(self.rejected.items())) + ")"
        return text

    # Messages a terminal sends, each with what the platform must answer.

    def send(self, term, msg_id, body, comment, serial=None, attr_extra=0):
        s = term.next_serial() if serial is None else serial
        wire = frame(term.header(msg_id, len(body), s, attr_extra) + body)
        return s, wire

    def registration(self, term, comment):
        body = u16(44) + u16(0x0300)
        if term.edition == 2019:
            body += b"FTRCE".ljust(11, b"\0") + b"FT-808".ljust(30, b"\0") + b"T0001".ljust(30, b"\0")
        else:
            body += b"FTRCE" + b"FT-808".ljust(20, b"\0") + b"T0001".ljust(7, b"\0")
        body += bytes([2]) + "粤B12345".encode("gbk")
        s, wire = self.send(term, 0x0100, body, comment)
        self.frames += 1
        self.ignored += 1
        self.emit(comment, wire, acks=[self.reply(term, 0x8100, u16(s) + bytes([0]) + AUTH_CODE)])

    def authentication(self, term, comment, code=AUTH_CODE):
        if term.edition == 2019:
            body = bytes([len(code)]) + code + b"861234567890123" + b"FT-1.2.3".ljust(20, b"\0")
        else:
            body = code
        s, wire = self.send(term, 0x0102, body, comment)
        self.frames += 1
        self.ignored += 1
        self.emit(comment, wire, acks=[self.general(term, s, 0x0102, 0)])

    def heartbeat(self, term, comment):
        s, wire = self.send(term, 0x0002, b"", comment)
        self.frames += 1
        self.ignored += 1
        self.emit(comment, wire, acks=[self.general(term, s, 0x0002, 0)])

    def location(self, term, loc: Loc, comment, serial=None):
        s, wire = self.send(term, 0x0200, loc.body(), comment, serial=serial)
        self.frames += 1
        self.fixes += 1
        self.emit(comment, wire, fixes=[fix_line(term.phone, loc, False)], acks=[self.general(term, s, 0x0200, 0)])

    def batch(self, term, locs, backfill: bool, comment):
        body = u16(len(locs)) + bytes([1 if backfill else 0])
        for loc in locs:
            b = loc.body()
            body += u16(len(b)) + b
        s, wire = self.send(term, 0x0704, body, comment)
        self.frames += 1
        self.fixes += len(locs)
        self.emit(comment, wire, fixes=[fix_line(term.phone, loc, backfill) for loc in locs],
                  acks=[self.general(term, s, 0x0704, 0)])

    def split(self, term, msg_id, body, cuts, comment, fixes):
        """Sends `body` in packages cut at `cuts`; each package is acked, the last one completes."""
        pieces = []
        start = 0
        for c in list(cuts) + [len(body)]:
            pieces.append(body[start:c])
            start = c
        count = len(pieces)
        for i, piece in enumerate(pieces, start=1):
            s = term.next_serial()
            wire = frame(term.header(msg_id, len(piece), s, package=(count, i)) + piece)
            self.frames += 1
            last = i == count
            if last:
                self.fixes += len(fixes)
            self.emit(f"{comment}: package {i} of {count}", wire, fixes=fixes if last else [],
                      acks=[self.general(term, s, msg_id, 0)])


def write(name: str, header: str, platform: Platform, check: bool) -> bool:
    files = {
        f"{name}.hex": "".join(f"# {h}\n" for h in header.strip().splitlines()) + "\n".join(platform.lines) + "\n",
        f"{name}.expected.jsonl": "".join(line + "\n" for line in platform.expected),
        f"{name}.expected.summary": platform.summary() + "\n",
    }
    same = True
    for fname, text in files.items():
        path = os.path.join(OUT, fname)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            same = False
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    return same


HEADER = """Generated by scripts/samples/jt808.py (an encoder written from the JT/T 808 spec,
not a capture from a device); expected output in {name}.expected.* comes from the same script.
Hex, one frame per line as sent on the wire (escaped, between 0x7E flags); '#' lines describe
the next frame. Decode: fieldtrace decode --protocol jt808 --input hex --acks --now 2026-11-29T00:00:00Z
Covers: {covers}"""


def utc(*a, ms=0) -> dt.datetime:
    return dt.datetime(*a, tzinfo=dt.timezone.utc) + dt.timedelta(milliseconds=ms)


def terminal_2013() -> Platform:
    p = Platform()
    t = Terminal("013912345678", serial=1)
    p.registration(t, "0x0100 registration (2013 body) -> 0x8100 result 0 with the auth code")
    p.authentication(t, "0x0102 authentication with the code from 0x8100 -> 0x8001 result 0")
    p.heartbeat(t, "0x0002 heartbeat -> 0x8001 result 0, counted ignored")
    p.location(t, Loc(utc(2026, 11, 28, 9, 30, 5), 31_230_416, 121_473_701, alt=12, speed=623, direction=87,
                      sats=11, mileage=123_456, signal=27, extra_items=bytes([0xE1, 3, 1, 2, 3])),
               "0x0200 moving, Shanghai, items 0x01 mileage, 0xE1 (vendor, skipped), 0x30 signal, 0x31 sats")
    p.location(t, Loc(utc(2026, 11, 28, 9, 31, 5), 31_230_416, 121_473_701, alt=12, speed=0, direction=0,
                      sats=9, acc=False), "0x0200 stationary, ACC off")
    p.location(t, Loc(utc(2026, 11, 28, 9, 32, 5), 0, 0, positioned=False, sats=0),
               "0x0200 not positioned (status bit 1 clear): a fix with valid false")
    p.location(t, Loc(utc(2026, 11, 28, 15, 59, 59), -33_868_820, 151_209_296, alt=58, speed=180, direction=359,
                      sats=8), "0x0200 south (status bit 2), Sydney, Beijing 23:59:59 -> 15:59:59Z")
    p.location(t, Loc(utc(2026, 11, 28, 16, 0, 0), 40_712_776, -74_005_974, alt=10, speed=1, direction=270,
                      sats=7), "0x0200 west (status bit 3), New York, Beijing midnight of the next day")
    p.location(t, Loc(utc(2026, 11, 28, 18, 0, 0), -22_906_847, -43_172_896, alt=5, speed=500, direction=180),
               "0x0200 south and west, Rio de Janeiro, no items")
    p.location(t, Loc(utc(2026, 11, 28, 20, 0, 0), 25_066_877, 121_502_333, alt=0x7E7D, speed=0x7D7E,
                      direction=126, alarm=0x7E7D7E7D, sats=0x7E),
               "0x0200 with 0x7E/0x7D inside header, body and reply (escaped as 0x7D 0x02 / 0x7D 0x01)",
               serial=0x7E7D)
    t.serial = 0x7E7E
    true_time = utc(2026, 11, 27, 12, 0, 0)
    p.location(t, Loc(true_time, 22_543_096, 114_057_865, speed=360, direction=45, sats=6,
                      raw_time=bcd_time(true_time - GPS_WEEKS_1024)),
               "0x0200 from a receiver with the GPS week rollover bug: time 1024 weeks early, corrected")
    return p


def terminal_2019() -> Platform:
    p = Platform()
    t = Terminal("00000000013800138000", edition=2019, version=1)
    p.registration(t, "0x0100 registration, 2019 header (bit 14, version 1, 10-byte phone) -> 2019 reply")
    p.authentication(t, "0x0102 authentication, 2019 body (length, code, IMEI, version) -> 0x8001 result 0")
    p.location(t, Loc(utc(2026, 11, 28, 1, 2, 3), 39_908_692, 116_397_477, alt=44, speed=402, direction=12,
                      sats=14), "0x0200 moving, Beijing, 2019 header")
    p.heartbeat(t, "0x0002 heartbeat, 2019 header")
    return p


def batches() -> Platform:
    p = Platform()
    t = Terminal("064512340001", serial=100)
    base = utc(2026, 11, 28, 7, 0, 0)
    normal = [Loc(base + dt.timedelta(seconds=10 * i), 30_572_815 + 37 * i, 104_066_801 - 29 * i, alt=500,
                  speed=300 + i, direction=200 + i, sats=10) for i in range(3)]
    p.batch(t, normal, False, "0x0704 type 0 normal batch of 3 -> 3 fixes, one 0x8001")
    offline = utc(2026, 11, 27, 23, 50, 0)
    blind = [Loc(offline + dt.timedelta(minutes=i), -1_292_066 - 100 * i, -78_000_000 - 200 * i, alt=2800,
                 speed=250, direction=10, sats=5) for i in range(4)]
    p.batch(t, blind, True, "0x0704 type 1 blind-area back-fill of 4 (crosses UTC midnight) -> late fixes")
    split_locs = [Loc(base + dt.timedelta(minutes=5, seconds=i), 30_600_000 + i, 104_100_000 + i, alt=501,
                      speed=0, direction=0, sats=12) for i in range(2)]
    body = u16(2) + bytes([0])
    for loc in split_locs:
        b = loc.body()
        body += u16(len(b)) + b
    p.split(t, 0x0704, body, [25], "0x0704 batch of 2 split in 2 packages (bit 13)",
            [fix_line(t.phone, loc, False) for loc in split_locs])
    loc = Loc(base + dt.timedelta(minutes=6), 30_600_100, 104_100_100, alt=502, speed=55, direction=90, sats=12)
    p.split(t, 0x0200, loc.body(), [10, 20], "0x0200 split in 3 packages",
            [fix_line(t.phone, loc, False)])
    return p


def malformed() -> Platform:
    p = Platform()
    t = Terminal("013700000001", serial=500)
    good = Loc(utc(2026, 11, 28, 10, 0, 0), 31_000_000, 121_000_000, alt=3, speed=100, direction=10, sats=9)
    p.location(t, good, "good 0x0200")

    s, _ = p.send(t, 0x0200, good.body(), "")
    plain = t.header(0x0200, len(good.body()), s) + good.body()
    p.frames += 1
    p.reject("bad_checksum")
    p.emit("bad check byte, header readable -> bad_checksum, 0x8001 result 2 (message error: resend)",
           frame(plain, check=xor(plain) ^ 0x55), acks=[p.general(t, s, 0x0200, 2)])

    plain = t.header(0x0200, 28, t.next_serial())[:8]
    p.frames += 1
    p.reject("truncated")
    p.emit("truncated: 8 header bytes and a check -> truncated, no reply (no header to answer)", frame(plain))

    s = t.next_serial()
    body = good.body()
    plain = t.header(0x0200, len(body) + 2, s) + body
    p.frames += 1
    p.reject("bad_length")
    p.emit("wrong body length: header says 2 bytes more than sent -> bad_length, 0x8001 result 2",
           frame(plain), acks=[p.general(t, s, 0x0200, 2)])

    p.location(t, good, "good 0x0200 again")
    p.frames += 1
    p.reject("bad_framing")
    p.emit("bytes between frames -> bad_framing", bytes([0x01, 0x02, 0x03, 0x04]))

    s = t.next_serial()
    plain = t.header(0x0002, 0, s)
    wire = b"\x7e" + escape(plain) + b"\x7d\x03" + bytes([xor(plain)]) + b"\x7e"
    p.frames += 1
    p.reject("bad_framing")
    p.emit("0x7D followed by 0x03 -> bad_framing, no reply", wire)

    s, wire = p.send(t, 0x0900, bytes([0xF0, 1, 2, 3]), "")
    p.frames += 1
    p.reject("unknown_message")
    p.emit("0x0900 (transparent data, not handled) -> unknown_message, 0x8001 result 3", wire,
           acks=[p.general(t, s, 0x0900, 3)])

    s, wire = p.send(t, 0x0200, good.body(), "", attr_extra=0x0400)
    p.frames += 1
    p.reject("unsupported")
    p.emit("0x0200 with encryption bit 10 (RSA) -> unsupported, 0x8001 result 3", wire,
           acks=[p.general(t, s, 0x0200, 3)])

    bad = Loc(good.time, 31_000_000, 121_000_000, raw_time=bcd("261328100000"))
    s, wire = p.send(t, 0x0200, bad.body(), "")
    p.frames += 1
    p.reject("bad_time")
    p.emit("0x0200 with month 13 -> bad_time, 0x8001 result 2", wire, acks=[p.general(t, s, 0x0200, 2)])

    bad = Loc(good.time, 31_000_000, 121_000_000, raw_time=bytes([0x26, 0x11, 0x28, 0x1A, 0, 0]))
    s, wire = p.send(t, 0x0200, bad.body(), "")
    p.frames += 1
    p.reject("bad_time")
    p.emit("0x0200 with a non-BCD hour (0x1A) -> bad_time, 0x8001 result 2", wire,
           acks=[p.general(t, s, 0x0200, 2)])

    bad = Loc(good.time, 91_000_000, 121_000_000)
    s, wire = p.send(t, 0x0200, bad.body(), "")
    p.frames += 1
    p.reject("bad_field")
    p.emit("0x0200 with latitude 91 degrees -> bad_field, 0x8001 result 2", wire,
           acks=[p.general(t, s, 0x0200, 2)])

    bad = Loc(good.time, 31_000_000, 121_000_000, extra_items=bytes([0x31, 5, 9]))
    s, wire = p.send(t, 0x0200, bad.body(), "")
    p.frames += 1
    p.reject("bad_length")
    p.emit("0x0200 whose item 0x31 declares 5 bytes with 1 left -> bad_length, 0x8001 result 2", wire,
           acks=[p.general(t, s, 0x0200, 2)])

    p.location(t, good, "good 0x0200 after the errors")

    s, wire = p.send(t, 0x0200, good.body(), "")
    p.frames += 1
    p.reject("incomplete")
    p.emit("stream ends inside a frame (no closing 0x7E) -> incomplete at the end", wire[: len(wire) // 2])
    return p


def main() -> None:
    check = "--check" in sys.argv
    os.makedirs(OUT, exist_ok=True)
    captures = [
        ("terminal-2013", terminal_2013(),
         "a 2013-edition terminal: registration, authentication, heartbeat, 0x0200 moving with items, "
         "stationary, not positioned, south, west, south+west, escaped 0x7E/0x7D, GPS week rollover"),
        ("terminal-2019", terminal_2019(),
         "a 2019-edition terminal (version byte, 20-digit phone): registration, authentication, location, heartbeat"),
        ("batch", batches(),
         "0x0704 normal batch, blind-area back-fill (late), a split 0x0704 and a 0x0200 split in 3 packages"),
        ("malformed", malformed(),
         "bad check, truncated, wrong body length, bytes between frames, bad escape, unknown message, "
         "encrypted, bad time (month 13, non-BCD), latitude out of range, bad item length, a cut-off last frame"),
    ]
    same = True
    for name, platform, covers in captures:
        same &= write(name, HEADER.format(name=name, covers=covers), platform, check)
    if check and not same:
        print("sample-data/jt808 is out of date: run scripts/samples/jt808.py", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
