#!/usr/bin/env python3
"""Generates a long, realistic NMEA 0183 stream for benchmarks (scripts/bench-peers).

    nmea_stream.py --sentences N --seed S --out FILE [--device ID]

Writes exactly N lines: a `$PGID,<device>` line, then 1 Hz epochs of a moving vehicle, each
RMC + GGA + GSA + VTG (GP talker, CR LF endings). The vehicle accelerates, cruises, brakes,
stops at junctions and turns with plausible rates (city and road speeds, 0-33 m/s). About 1%
of the sentences are corrupt: a flipped character (wrong checksum) or a line cut short
(truncated: no checksum). Standard library only; deterministic for a given seed; 1M sentences
take a few seconds.
"""
import argparse
import math
import random
import datetime as dt

KNOTS_PER_MPS = 3600.0 / 1852.0
METERS_PER_DEGREE = 111_195.0


def checksum(body: bytes) -> int:
    x = 0
    for b in body:
        x ^= b
    return x


def coord(value: float, width: int) -> str:
    a = abs(value)
    whole = int(a)
    minutes = round((a - whole) * 60, 5)
    if minutes >= 60:
        whole, minutes = whole + 1, minutes - 60
    return f"{whole:0{width}d}{minutes:08.5f}"


class Vehicle:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lat = rng.uniform(-55, 60)
        self.lon = rng.uniform(-179, 179)
        self.heading = rng.uniform(0, 360)
        self.speed = 0.0  # m/s
        self.target = rng.uniform(8, 25)
        self.turn = 0.0  # deg/s
        self.stop_left = 0
        self.alt = rng.uniform(0, 600)

    def step(self):
        rng = self.rng
        if self.stop_left > 0:
            self.stop_left -= 1
            self.speed = 0.0
            if self.stop_left == 0:
                self.target = rng.uniform(8, 33)
        else:
            if rng.random() < 0.01:
                self.target = 0.0  # a junction ahead
            if self.target == 0.0 and self.speed < 0.5:
                self.speed = 0.0
                self.stop_left = rng.randint(5, 60)
            accel = 2.0 if self.speed < self.target else -3.0
            if abs(self.target - self.speed) < 0.5:
                accel = rng.uniform(-0.3, 0.3)
            self.speed = max(0.0, min(36.0, self.speed + accel))
            if rng.random() < 0.03:
                self.turn = rng.choice([-1, 1]) * rng.uniform(5, 15)  # a turn at a corner
            elif rng.random() < 0.2:
                self.turn = 0.0
            turn_limit = 40.0 / max(1.0, self.speed)  # slower turning at speed
            self.heading = (self.heading + max(-turn_limit, min(turn_limit, self.turn)) + rng.gauss(0, 0.5)) % 360
        d = self.speed
        self.lat += d * math.cos(math.radians(self.heading)) / METERS_PER_DEGREE
        self.lat = max(-85.0, min(85.0, self.lat))
        self.lon += d * math.sin(math.radians(self.heading)) / (METERS_PER_DEGREE * math.cos(math.radians(self.lat)))
        if self.lon > 180:
            self.lon -= 360
        elif self.lon < -180:
            self.lon += 360
        self.alt = max(-20.0, self.alt + rng.gauss(0, 0.2))


def epoch_bodies(v: Vehicle, t: dt.datetime, rng: random.Random) -> list[str]:
    hms = t.strftime("%H%M%S") + ".00"
    date = t.strftime("%d%m%y")
    lat = coord(v.lat, 2)
    ns = "N" if v.lat >= 0 else "S"
    lon = coord(v.lon, 3)
    ew = "E" if v.lon >= 0 else "W"
    knots = f"{v.speed * KNOTS_PER_MPS:.1f}"
    course = f"{v.heading:.1f}" if v.speed > 0.3 else ""
    kmh = f"{v.speed * 3.6:.1f}"
    sats = rng.randint(6, 12)
    hdop = f"{rng.uniform(0.6, 1.8):.1f}"
    prns = ",".join([str(p) for p in sorted(rng.sample(range(1, 33), sats))] + [""] * (12 - sats))
    return [
        f"GPRMC,{hms},A,{lat},{ns},{lon},{ew},{knots},{course},{date},,,A",
        f"GPGGA,{hms},{lat},{ns},{lon},{ew},1,{sats:02d},{hdop},{v.alt:.1f},M,46.9,M,,",
        f"GPGSA,A,3,{prns},{float(hdop) + 0.5:.1f},{hdop},{float(hdop) + 0.3:.1f}",
        f"GPVTG,{course},T,,M,{knots},N,{kmh},K,A",
    ]


def corrupt(line: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        # Flip one character of the body: the checksum no longer matches.
        i = rng.randrange(1, line.index("*"))
        c = line[i]
        r = "7" if c != "7" else "8"
        return line[:i] + r + line[i + 1:]
    # Cut short: the checksum is lost.
    return line[: rng.randrange(2, line.index("*"))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--device", default="356307042441013")
    ap.add_argument("--corrupt-rate", type=float, default=0.01)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    vehicle = Vehicle(rng)
    t = dt.datetime(2026, 11, 28, rng.randint(0, 23), rng.randint(0, 59), 0, tzinfo=dt.timezone.utc)
    second = dt.timedelta(seconds=1)
    out: list[str] = []
    body = f"PGID,{args.device}"
    out.append(f"${body}*{checksum(body.encode()):02X}\r\n")
    written = 1
    with open(args.out, "w", newline="") as f:
        while written < args.sentences:
            for b in epoch_bodies(vehicle, t, rng):
                if written >= args.sentences:
                    break
                line = f"${b}*{checksum(b.encode()):02X}"
                if rng.random() < args.corrupt_rate:
                    line = corrupt(line, rng)
                out.append(line + "\r\n")
                written += 1
            vehicle.step()
            t += second
            if len(out) >= 65536:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))


if __name__ == "__main__":
    main()
