#!/usr/bin/env python3
"""Writes the NMEA 0183 sample captures in sample-data/nmea/ and their expected outputs.

Independent of the Swift decoder: an encoder written from the NMEA 0183 sentence layouts
(shared/docs/protocols.md section 1), standard library only. Every capture is written from a
list of intended epochs (the truth: time, position, speed, ...); the same list gives the
expected JSON lines and the expected summary, so expected output never comes from running
the decoder under test.

Semantics the expectations follow (documented in Sources/FieldtraceWire/NMEA/NMEASession.swift):
- every non-empty line is a frame; a frame is rejected (by reason), ignored (a known unused
  sentence) or joins the epoch of its UTC time;
- an epoch counts once: a fix; ignored when it has no position; rejected `no_date` when it
  has a position but no date is known yet on the stream;
- values come from the sentences that survive: position from RMC/GGA/GNS/GLL, speed and
  course from RMC/VTG, altitude from GGA/GNS, HDOP and satellites from GGA/GNS, else GSA;
- GGA/GNS/GLL take the stream's last RMC/ZDA date; a time of day that jumps back across
  midnight means the next day;
- two-digit RMC years resolve to the century nearest "now"; a time more than 19 years
  before "now" gains 1024 GPS weeks (GPSWeekRollover).

Run: python3 scripts/samples/nmea.py   (rewrites sample-data/nmea/*)
"""
import datetime as dt
import json
import os
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# The clock SampleCaptureTests passes as --now.
NOW = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)
CAP = 128  # WireLimits.nmeaSentenceMaxBytes: "$" through "\n"
WEEK_ROLLOVER = dt.timedelta(weeks=1024)
ROLLOVER_THRESHOLD = dt.timedelta(days=19 * 365.25)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sample-data", "nmea")


def checksum(body: str) -> str:
    x = 0
    for b in body.encode("ascii"):
        x ^= b
    return f"{x:02X}"


def sentence(body: str) -> str:
    return f"${body}*{checksum(body)}"


# ---- values ---------------------------------------------------------------------------


def round_half_away(q: Fraction) -> int:
    n = abs(q)
    r = int(n)
    if n - r >= Fraction(1, 2):
        r += 1
    return r if q >= 0 else -r


def coordinate_text(degrees: Decimal, width: int) -> tuple[str, str]:
    """ddmm.mmmmm (width 2) or dddmm.mmmmm (width 3) and the hemisphere-free magnitude."""
    a = abs(degrees)
    whole = int(a)
    minutes = ((a - whole) * 60).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
    if minutes >= 60:
        whole, minutes = whole + 1, minutes - 60
    return f"{whole:0{width}d}{minutes:08.5f}", ""


def coordinate_e7(text: str, width: int, negative: bool) -> int:
    """The exact 1e-7 degree value the text carries (dd + mm.mmmm/60, half away from zero)."""
    deg = int(text[:width])
    minutes = Fraction(Decimal(text[width:]))
    e7 = round_half_away((deg + minutes / 60) * 10_000_000)
    return -e7 if negative else e7


def e7_text(e7: int) -> str:
    sign = "-" if e7 < 0 else ""
    m = abs(e7)
    whole, frac = divmod(m, 10_000_000)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:07d}".rstrip("0")


def num(x: float):
    return int(x) if x == int(x) else x


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def rollover(t: dt.datetime) -> tuple[dt.datetime, bool]:
    corrected = False
    while NOW - t > ROLLOVER_THRESHOLD and t + WEEK_ROLLOVER <= NOW + dt.timedelta(days=1):
        t += WEEK_ROLLOVER
        corrected = True
    return t, corrected


# ---- captures -------------------------------------------------------------------------


class Capture:
    def __init__(self, name: str, covers: str, device: str):
        self.name = name
        self.covers = covers
        self.device = device
        self.lines: list[str] = []
        self.expected: list[str] = []
        self.frames = 0
        self.fixes = 0
        self.ignored = 0
        self.rejected: Counter = Counter()

    # A raw line and what the decoder must do with it.
    def line(self, text: str, outcome: str = "joins"):
        self.lines.append(text)
        if text.strip() == "":
            return
        self.frames += 1
        if outcome == "ignored":
            self.ignored += 1
        elif outcome.startswith("rejected:"):
            self.rejected[outcome.split(":", 1)[1]] += 1

    def pgid(self, device: str | None = None, token: str | None = None):
        body = f"PGID,{device or self.device}" + (f",{token}" if token else "")
        self.line(sentence(body), "identity")

    def fix(self, fix: dict):
        self.fixes += 1
        self.expected.append(json.dumps(fix, separators=(",", ":")))

    def epoch_ignored(self):
        self.ignored += 1

    def epoch_rejected(self, reason: str):
        self.rejected[reason] += 1

    def summary(self) -> str:
        total = sum(self.rejected.values())
        text = f"frames={self.frames} fixes={self.fixes} ignored={self.ignored} rejected={total}"
        if self.rejected:
            text += " (" + " ".join(f"{k}={v}" for k, v in sorted(self.rejected.items())) + ")"
        return text

    def write(self):
        os.makedirs(OUT, exist_ok=True)
        header = [
            f"# sample-data/nmea/{self.name}.nmea: generated by scripts/samples/nmea.py from the NMEA 0183",
            "# sentence layouts (shared/docs/protocols.md section 1), not captured from a device.",
        ] + [f"# {c}" for c in self.covers.strip().split("\n")]
        with open(os.path.join(OUT, f"{self.name}.nmea"), "w", newline="") as f:
            for h in header:
                f.write(h + "\n")
            for line in self.lines:
                f.write(line + "\r\n")
        with open(os.path.join(OUT, f"{self.name}.expected.jsonl"), "w") as f:
            for e in self.expected:
                f.write(e + "\n")
        with open(os.path.join(OUT, f"{self.name}.expected.summary"), "w") as f:
            f.write(self.summary() + "\n")


class Truth:
    """One intended epoch."""

    def __init__(self, t, lat, lon, knots="0.0", course="", alt="35.2", hdop="0.9", sats=8, valid=True):
        self.t = t
        self.lat = Decimal(lat)
        self.lon = Decimal(lon)
        self.knots = knots
        self.course = course
        self.alt = alt
        self.hdop = hdop
        self.sats = sats
        self.valid = valid


def time_text(t: dt.datetime, decimals: int = 2) -> str:
    base = t.strftime("%H%M%S")
    if decimals == 0:
        return base
    frac = f"{t.microsecond // 1000:03d}"[:decimals]
    return f"{base}.{frac}"


def position_fields(tr: Truth, empty: bool = False) -> str:
    if empty:
        return ",,,"
    lat, _ = coordinate_text(tr.lat, 2)
    lon, _ = coordinate_text(tr.lon, 3)
    return f"{lat},{'S' if tr.lat < 0 else 'N'},{lon},{'W' if tr.lon < 0 else 'E'}"


def rmc(tr: Truth, talker="GP", decimals=2, date_text=None, empty_position=False):
    status = "A" if tr.valid else "V"
    date = date_text or tr.t.strftime("%d%m%y")
    mode = "A" if tr.valid else "N"
    pos = position_fields(tr, empty_position)
    return sentence(f"{talker}RMC,{time_text(tr.t, decimals)},{status},{pos},{tr.knots},{tr.course},{date},,,{mode}")


def gga(tr: Truth, talker="GP", decimals=2, empty_position=False):
    q = "1" if tr.valid else "0"
    pos = position_fields(tr, empty_position)
    sats = f"{tr.sats:02d}" if tr.sats is not None else ""
    return sentence(f"{talker}GGA,{time_text(tr.t, decimals)},{pos},{q},{sats},{tr.hdop},{tr.alt},M,16.9,M,,")


def gsa(tr: Truth, talker="GP", prns=None, system=None):
    prns = prns if prns is not None else [2, 5, 9, 12, 15, 18, 21, 25][: tr.sats or 0]
    fields = [str(p) for p in prns] + [""] * (12 - len(prns))
    fix_type = "3" if tr.valid else "1"
    tail = f",{system}" if system is not None else ""
    return sentence(f"{talker}GSA,A,{fix_type},{','.join(fields)},1.6,{tr.hdop},1.3{tail}")


def vtg(tr: Truth, talker="GP"):
    kmh = f"{float(tr.knots) * 1.852:.1f}" if tr.knots else ""
    return sentence(f"{talker}VTG,{tr.course},T,,M,{tr.knots},N,{kmh},K,A")


def gns(tr: Truth, talker="GN", mode="AAN", decimals=2):
    pos = position_fields(tr)
    return sentence(f"{talker}GNS,{time_text(tr.t, decimals)},{pos},{mode},{tr.sats:02d},{tr.hdop},{tr.alt},16.9,,,V")


def gll(tr: Truth, talker="GP", decimals=2):
    status = "A" if tr.valid else "V"
    return sentence(f"{talker}GLL,{position_fields(tr)},{time_text(tr.t, decimals)},{status},A")


def zda(tr: Truth, talker="GP", decimals=2):
    t = tr.t
    return sentence(f"{talker}ZDA,{time_text(t, decimals)},{t.day:02d},{t.month:02d},{t.year:04d},00,00")


def expected_fix(cap: Capture, tr: Truth, *, speed=True, course=True, alt=True, hdop=True, sats=True,
                 time: dt.datetime | None = None, decimals=2) -> dict:
    """The fix a decoder must give for `tr`, given which values the surviving sentences carry."""
    t = time or tr.t
    ms = (t.microsecond // 1000) // (10 ** (3 - decimals)) * (10 ** (3 - decimals)) if decimals else 0
    t = t.replace(microsecond=ms * 1000)
    t, _ = rollover(t)
    lat_text, _ = coordinate_text(tr.lat, 2)
    lon_text, _ = coordinate_text(tr.lon, 3)
    fix = {"device": cap.device, "time": iso(t)}
    fix["lat"] = "@lat"
    fix["lon"] = "@lon"
    if alt and tr.alt != "":
        fix["alt_m"] = num(float(tr.alt))
    if speed and tr.knots != "":
        fix["speed_mps"] = num(float(tr.knots) * 1852.0 / 3600.0)
    if course and tr.course != "":
        fix["course_deg"] = num(float(tr.course))
    if hdop and tr.hdop != "":
        fix["hdop"] = num(float(tr.hdop))
    if sats and tr.sats is not None:
        fix["sats"] = tr.sats
    fix["valid"] = tr.valid
    fix["late"] = False
    fix["_lat"] = e7_text(coordinate_e7(lat_text, 2, tr.lat < 0))
    fix["_lon"] = e7_text(coordinate_e7(lon_text, 3, tr.lon < 0))
    return fix


def emit(cap: Capture, fix: dict):
    """Writes the expected line with exact coordinate text (json.dumps would print floats)."""
    lat, lon = fix.pop("_lat"), fix.pop("_lon")
    text = json.dumps(fix, separators=(",", ":"))
    text = text.replace('"@lat"', lat).replace('"@lon"', lon)
    cap.fixes += 1
    cap.expected.append(text)


# ---- a moving vehicle -----------------------------------------------------------------


def drive(start: dt.datetime, lat: Decimal, lon: Decimal, seconds: int, knots0: float, heading0: float,
          turn_per_s: float = 2.0, step=dt.timedelta(seconds=1)):
    """Dead-reckons a vehicle at 1 Hz; yields Truths with texts rounded as NMEA carries them."""
    import math

    lat_f, lon_f = float(lat), float(lon)
    heading = heading0
    knots = knots0
    t = start
    for i in range(seconds):
        yield Truth(t, f"{lat_f:.7f}", f"{lon_f:.7f}", knots=f"{knots:.1f}", course=f"{heading % 360:05.1f}",
                    alt=f"{35.2 + i * 0.3:.1f}", hdop="0.9", sats=8)
        mps = knots * 1852 / 3600
        lat_f += mps * math.cos(math.radians(heading)) / 111_195.0
        lon_f += mps * math.sin(math.radians(heading)) / (111_195.0 * math.cos(math.radians(lat_f)))
        heading += turn_per_s
        knots = max(0.0, knots + (0.8 if i % 3 == 0 else -0.3))
        t += step


def moving():
    cap = Capture("moving", """covers: $PGID identity, then 10 one-second epochs of a moving vehicle in the southern and
western hemispheres (Buenos Aires), each RMC + GGA + GSA + VTG (GP talker): position, speed,
course, altitude, HDOP, satellites; each epoch is one fix.""", "356307042441013")
    cap.pgid()
    start = dt.datetime(2026, 11, 28, 14, 30, 5, 0, tzinfo=dt.timezone.utc)
    for tr in drive(start, Decimal("-34.6037345"), Decimal("-58.3815704"), 10, 18.0, 85.0):
        cap.line(rmc(tr))
        cap.line(gga(tr))
        cap.line(gsa(tr))
        cap.line(vtg(tr))
        emit(cap, expected_fix(cap, tr))
    cap.write()


def stationary():
    cap = Capture("stationary", """covers: a parked tracker in the northern and eastern hemispheres (Shanghai) reporting
RMC + GGA at 1 Hz with speed 0.0 and an empty course, times with three decimals (.000) and
without decimals; positions repeat exactly.""", "TRK-0042")
    cap.pgid(token="s3cr3t")
    start = dt.datetime(2026, 11, 28, 3, 15, 0, tzinfo=dt.timezone.utc)
    for i in range(6):
        tr = Truth(start + dt.timedelta(seconds=i), "31.2304123", "121.4737012", knots="0.0", course="",
                   alt="4.5", hdop="1.2", sats=7)
        decimals = 3 if i < 3 else 0
        cap.line(rmc(tr, decimals=decimals))
        cap.line(gga(tr, decimals=decimals))
        emit(cap, expected_fix(cap, tr, decimals=decimals))
    cap.write()


def no_fix():
    cap = Capture("no_fix", """covers: a receiver from cold start: RMC status V with every field empty (no time, no
position), GGA quality 0, GSA fix type 1, VTG and GSV with empty fields (position-less
epochs: ignored, no fix); then an epoch with a time and date but still no position; then a
last-known position flagged V (a fix with valid=false); then the first valid fix.""", "860000000000001")
    cap.pgid()
    t0 = dt.datetime(2026, 11, 28, 8, 0, 0, tzinfo=dt.timezone.utc)
    # Two cold-start epochs: no time, no date, no position (each line joins one time-less epoch).
    cap.line(sentence("GPRMC,,V,,,,,,,,,,N"))
    cap.line(sentence("GPGGA,,,,,,0,00,99.99,,,,,,"))
    cap.line(sentence("GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99"))
    cap.line(sentence("GPVTG,,,,,,,,,N"))
    cap.line(sentence("GPGSV,1,1,00"), "ignored")
    cap.epoch_ignored()
    # Time known, date known, no position.
    tr = Truth(t0, "0", "0", knots="", course="", alt="", hdop="", sats=None, valid=False)
    cap.line(sentence(f"GPRMC,{time_text(t0)},V,,,,,,,{t0.strftime('%d%m%y')},,,N"))
    cap.line(sentence(f"GPGGA,{time_text(t0)},,,,,0,00,99.99,,,,,,"))
    cap.line(sentence("GPGSV,1,1,01,05,,,22"), "ignored")
    cap.epoch_ignored()
    # Last known position, status V: a fix, not valid.
    t1 = t0 + dt.timedelta(seconds=1)
    tr = Truth(t1, "52.5200066", "13.4049540", knots="", course="", alt="", hdop="", sats=None, valid=False)
    cap.line(rmc(tr))
    emit(cap, expected_fix(cap, tr))
    # First valid fix, GGA quality 1.
    t2 = t0 + dt.timedelta(seconds=2)
    tr = Truth(t2, "52.5200101", "13.4049588", knots="0.4", course="12.0", alt="41.0", hdop="2.1", sats=4)
    cap.line(rmc(tr))
    cap.line(gga(tr))
    cap.line(gsa(tr, prns=[3, 7, 11, 19]))
    emit(cap, expected_fix(cap, tr))
    cap.write()


def gga_midnight():
    cap = Capture("gga_midnight", """covers: a GGA-only stream: a GGA before any date is known (a position that cannot be
placed in time: rejected no_date), then one RMC + GGA epoch that gives the date
(2026-02-28, before a leap-less March), then GGA-only epochs that carry that date across UTC
midnight: 23:59:59 is followed by 00:00:00 of the next day (2026-03-01), without a new RMC.
Also a GLL-only epoch after midnight (no date in GLL either).""", "GGA-ONLY-7")
    cap.pgid()
    t = dt.datetime(2026, 2, 28, 23, 59, 56, tzinfo=dt.timezone.utc)
    first = Truth(t - dt.timedelta(seconds=1), "-33.8688197", "151.2092955", alt="58.0", hdop="0.8", sats=9)
    cap.line(gga(first))
    cap.epoch_rejected("no_date")
    tr = Truth(t, "-33.8688197", "151.2092955", knots="0.0", course="", alt="58.0", hdop="0.8", sats=9)
    cap.line(rmc(tr))
    cap.line(gga(tr))
    emit(cap, expected_fix(cap, tr))
    for i in range(1, 7):
        tr = Truth(t + dt.timedelta(seconds=i), "-33.8688197", f"151.20929{55 + i}", alt="58.0", hdop="0.8", sats=9)
        cap.line(gga(tr))
        emit(cap, expected_fix(cap, tr, speed=False, course=False))
    tr = Truth(t + dt.timedelta(seconds=7), "-33.8688197", "151.2092970", alt="", hdop="", sats=None)
    cap.line(gll(tr))
    emit(cap, expected_fix(cap, tr, speed=False, course=False))
    cap.write()


def two_digit_year():
    cap = Capture("two_digit_year", """covers: RMC two-digit years resolved to the century nearest the receive time
(2026-11-29): "26" is 2026, "99" is 1999 (not 2099); and the GPS week-number rollover: a
receiver with old firmware reporting 2007-04-14 (1024 weeks early) is moved forward to
2026-11-28, and the 1999 date, more than 19 years old, to 2019.""", "ROLLOVER-1")
    cap.pgid()
    tr = Truth(dt.datetime(2026, 11, 28, 12, 0, 0, tzinfo=dt.timezone.utc), "48.8583701", "2.2944813",
               knots="1.5", course="270.0", alt="", hdop="", sats=None)
    cap.line(rmc(tr))
    emit(cap, expected_fix(cap, tr))
    early = dt.datetime(2026, 11, 28, 12, 0, 1, tzinfo=dt.timezone.utc) - WEEK_ROLLOVER
    assert early.date() == dt.date(2007, 4, 14)
    tr = Truth(early, "48.8583702", "2.2944814", knots="1.4", course="270.5", alt="", hdop="", sats=None)
    cap.line(rmc(tr))
    emit(cap, expected_fix(cap, tr))
    old = dt.datetime(1999, 8, 15, 6, 30, 0, tzinfo=dt.timezone.utc)
    tr = Truth(old, "48.8583703", "2.2944815", knots="0.0", course="", alt="", hdop="", sats=None)
    cap.line(rmc(tr))
    emit(cap, expected_fix(cap, tr))
    cap.write()


def bad_checksum():
    cap = Capture("bad_checksum", """covers: corrupt lines in a moving stream: a wrong checksum (one flipped character, the
sentence is rejected and its epoch keeps the others' values), a sentence without a checksum
(rejected: lenient mode is off), a wrong checksum on the RMC of an epoch (the GGA still makes
the fix, dated from the stream), a line of garbage without "$" (bad_framing) and bytes after
a checksum (bad_framing).""", "356307042441014")
    cap.pgid()
    start = dt.datetime(2026, 11, 28, 9, 10, 0, tzinfo=dt.timezone.utc)
    trs = list(drive(start, Decimal("40.7127753"), Decimal("-74.0059728"), 5, 22.0, 190.0))
    # Epoch 0: intact.
    cap.line(rmc(trs[0]))
    cap.line(gga(trs[0]))
    emit(cap, expected_fix(cap, trs[0]))
    # Epoch 1: GGA corrupted (a digit of the altitude changed, checksum kept).
    bad = gga(trs[1])
    i = bad.index(",M,") - 1
    bad = bad[:i] + ("1" if bad[i] != "1" else "2") + bad[i + 1:]
    cap.line(rmc(trs[1]))
    cap.line(bad, "rejected:bad_checksum")
    emit(cap, expected_fix(cap, trs[1], alt=False, hdop=False, sats=False))
    # Epoch 2: VTG without checksum; RMC + GGA fine.
    cap.line(rmc(trs[2]))
    cap.line(gga(trs[2]))
    cap.line("$" + vtg(trs[2])[1:].split("*")[0], "rejected:no_checksum")
    emit(cap, expected_fix(cap, trs[2]))
    # Epoch 3: RMC with a wrong checksum: GGA alone, dated from epoch 2's RMC.
    r = rmc(trs[3])
    r = r[:-2] + ("00" if r[-2:] != "00" else "01")
    cap.line(r, "rejected:bad_checksum")
    cap.line(gga(trs[3]))
    emit(cap, expected_fix(cap, trs[3], speed=False, course=False))
    # Garbage and trailing bytes.
    cap.line("GPRMC,garbage without a dollar sign", "rejected:bad_framing")
    cap.line(rmc(trs[4]) + " trailing", "rejected:bad_framing")
    cap.line(gga(trs[4]))
    emit(cap, expected_fix(cap, trs[4], speed=False, course=False))
    cap.write()


def too_long():
    cap = Capture("too_long", f"""covers: lines longer than the {CAP}-byte sentence cap ("$" through "\\n"): a 200-byte TXT
sentence with a valid checksum and a 300-byte run of garbage; each is rejected too_long and
skipped to its end of line, and the stream carries on. A sentence of exactly {CAP} bytes
with its CR LF is accepted (an ignored TXT).""", "LONG-LINES")
    cap.pgid()
    start = dt.datetime(2026, 11, 28, 17, 45, 30, tzinfo=dt.timezone.utc)
    trs = list(drive(start, Decimal("35.6761919"), Decimal("139.6503106"), 3, 8.0, 300.0))
    cap.line(rmc(trs[0]))
    cap.line(gga(trs[0]))
    emit(cap, expected_fix(cap, trs[0]))
    long_txt = sentence("GPTXT,01,01,02," + "X" * 180)
    assert len(long_txt) + 2 > CAP
    cap.line(long_txt, "rejected:too_long")
    cap.line("Z" * 300, "rejected:too_long")
    cap.line(rmc(trs[1]))
    cap.line(gga(trs[1]))
    emit(cap, expected_fix(cap, trs[1]))
    fill = CAP - 2 - len(sentence("GPTXT,01,01,02,"))
    exact = sentence("GPTXT,01,01,02," + "Y" * fill)
    assert len(exact) + 2 == CAP
    cap.line(exact, "ignored")
    cap.line(rmc(trs[2]))
    emit(cap, expected_fix(cap, trs[2], alt=False, hdop=False, sats=False))
    cap.write()


def unknown_ignored():
    cap = Capture("unknown_ignored", """covers: sentences the decoder knows but does not use (GSV, TXT, GST, GBS, DTM, HDT and the
proprietary u-blox $PUBX): counted as ignored; and unknown ones ($GPXYZ, $PFOO, a
six-letter address): rejected as unknown_message. Fixes around them are unaffected.""", "IGNORE-ME")
    cap.pgid()
    start = dt.datetime(2026, 11, 28, 21, 0, 0, tzinfo=dt.timezone.utc)
    trs = list(drive(start, Decimal("-1.2920659"), Decimal("36.8219462"), 2, 10.0, 10.0))
    cap.line(rmc(trs[0]))
    cap.line(gga(trs[0]))
    for s in [
        "GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00",
        "GLGSV,1,1,02,65,42,012,30,72,18,201,25",
        "GPTXT,01,01,02,ANTSTATUS=OK",
        "GPGST,210000.00,1.2,2.3,1.5,45.0,1.8,1.9,3.1",
        "GPGBS,210000.00,1.5,1.3,2.8,,,,",
        "GPDTM,W84,,0.0,N,0.0,E,0.0,W84",
        "HEHDT,274.07,T",
        "PUBX,00,210000.00,0117.52396,S,03649.31677,E,1688.0,G3,2.1,3.0,0.0,0.0,0.0,,1.0,1.5,1.0,8,0,0",
    ]:
        cap.line(sentence(s), "ignored")
    for s in ["GPXYZ,1,2,3", "PFOO,1", "GPRMCX,1"]:
        cap.line(sentence(s), "rejected:unknown_message")
    emit(cap, expected_fix(cap, trs[0]))
    cap.line(rmc(trs[1]))
    cap.line(gga(trs[1]))
    emit(cap, expected_fix(cap, trs[1]))
    cap.write()


def gn_multi():
    cap = Capture("gn_multi", """covers: a multi-constellation receiver (GN talker, NMEA 4.11): GNRMC, GNGGA, one GNGSA per
system (GPS, GLONASS, Galileo, with system ids), GNVTG, GPGSV/GLGSV/GAGSV (ignored), GNZDA;
then epochs with GNGNS (mode letters per constellation) + GNZDA, a GNGLL + GNVTG epoch, and
BeiDou (BD, GB) and QZSS (GQ) talkers.""", "GN-RECEIVER-01")
    cap.pgid()
    start = dt.datetime(2026, 11, 28, 6, 20, 10, tzinfo=dt.timezone.utc)
    trs = list(drive(start, Decimal("59.3293235"), Decimal("18.0685808"), 6, 30.0, 45.0, turn_per_s=-3.0))
    for tr in trs:
        tr.sats = 14
        tr.hdop = "0.6"
    tr = trs[0]
    cap.line(rmc(tr, talker="GN"))
    cap.line(gga(tr, talker="GN"))
    cap.line(gsa(tr, talker="GN", prns=[2, 5, 12, 15, 25], system=1))
    cap.line(gsa(tr, talker="GN", prns=[66, 67, 76, 77], system=2))
    cap.line(gsa(tr, talker="GN", prns=[4, 9, 11, 19, 36], system=3))
    cap.line(vtg(tr, talker="GN"))
    cap.line(sentence("GPGSV,2,1,05,02,45,120,40,05,30,200,38,12,60,045,44,15,20,300,35"), "ignored")
    cap.line(sentence("GLGSV,1,1,04,66,40,100,36,67,35,160,34,76,50,250,41,77,15,330,30"), "ignored")
    cap.line(sentence("GAGSV,2,1,05,04,33,080,39,09,55,140,42,11,25,210,37,19,12,280,31,7"), "ignored")
    cap.line(zda(tr, talker="GN"))
    emit(cap, expected_fix(cap, tr))
    # GNS + ZDA: date from ZDA, no speed/course (no RMC/VTG).
    tr = trs[1]
    cap.line(gns(tr, mode="AAAN"))
    cap.line(zda(tr, talker="GN"))
    emit(cap, expected_fix(cap, tr, speed=False, course=False))
    # GLL + VTG: date from the stream; no altitude, HDOP or satellites.
    tr = trs[2]
    cap.line(gll(tr, talker="GN"))
    cap.line(vtg(tr, talker="GN"))
    emit(cap, expected_fix(cap, tr, alt=False, hdop=False, sats=False))
    # Other talkers: BeiDou (BD and GB) and QZSS (GQ); GSA satellites only (no GGA).
    tr = trs[3]
    cap.line(rmc(tr, talker="BD"))
    cap.line(gsa(tr, talker="BD", prns=[201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212]))
    cap.line(gsa(tr, talker="GQ", prns=[193, 194]))
    tr.sats = 14
    emit(cap, expected_fix(cap, tr, alt=False))
    tr = trs[4]
    cap.line(rmc(tr, talker="GB"))
    cap.line(gga(tr, talker="GQ"))
    emit(cap, expected_fix(cap, tr))
    # GNS with every constellation N: not valid.
    tr = trs[5]
    tr.valid = False
    cap.line(gns(tr, mode="NNNN"))
    emit(cap, expected_fix(cap, tr, speed=False, course=False))
    cap.write()


def identity():
    cap = Capture("identity", """covers: device identity: data sentences before any $PGID (rejected no_identity), a $PGID
with an invalid id (rejected bad_identity; the stream stays without identity), a valid
$PGID with a token, and a second device taking over the stream with its own $PGID (its
GGA-only epoch has no date yet for that device: rejected no_date).""", "DEV-A")
    start = dt.datetime(2026, 11, 28, 11, 11, 11, tzinfo=dt.timezone.utc)
    trs = list(drive(start, Decimal("51.5072178"), Decimal("-0.1275862"), 4, 6.0, 120.0))
    cap.line(rmc(trs[0]), "rejected:no_identity")
    cap.line(gga(trs[0]), "rejected:no_identity")
    cap.line(sentence("PGID,bad id with spaces"), "rejected:bad_identity")
    cap.line(rmc(trs[1]), "rejected:no_identity")
    cap.pgid(token="0123456789abcdef")
    cap.line(rmc(trs[2]))
    cap.line(gga(trs[2]))
    emit(cap, expected_fix(cap, trs[2]))
    cap.pgid(device="DEV-B")
    cap.line(gga(trs[3]))
    cap.epoch_rejected("no_date")
    cap.write()


if __name__ == "__main__":
    moving()
    stationary()
    no_fix()
    gga_midnight()
    two_digit_year()
    bad_checksum()
    too_long()
    unknown_ignored()
    gn_multi()
    identity()
