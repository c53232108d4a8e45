#!/usr/bin/env python3
"""Peer for Fieldtrace's Kalman filter and RTS smoother: filterpy, same model, on the same CSV.

Usage: scripts/peers/filter.py FILE.csv [--truth TRUTH.csv] [--no-velocity]
       (pip install filterpy numpy)

Input: CSV with a header naming at least device,time,lat,lon and optionally speed_mps,
course_deg,hdop,accuracy_m (time ISO 8601 or Unix ms), e.g. `fieldtrace simulate ... --format
csv`. Each device's fixes are sorted by time and projected once to local metres
(equirectangular at the device's first fix, as Fieldtrace's tangent plane).

The model and parameters are Fieldtrace's defaults (KalmanTracker.Configuration):
  state [east, v_east, north, v_north], constant velocity, white acceleration q = 1 m^2/s^3
  (filterpy's Q_continuous_white_noise), scaled by the same manoeuvre adaptation
  (1 + 10 x max(0, m - 3), at most 100, m = exponential average, weight 0.3, of the position
  NIS capped at the gate, and per step at least |dv|^2 / (2 q dt) for the reported velocity
  change dv); measurement sigma per axis from accuracy_m / 1.5096, else hdop x 5 / sqrt(2),
  else 5 m, at least 1 m; reported speed/course as a velocity measurement (variance
  0.5^2 + (speed x 5 deg)^2, applied before the position, or (0, 0) when the speed is at most
  0.5 m/s without a course); chi-square gate 13.8155 on the position innovation, judged
  against the prediction before and after the velocity update (the smaller distance);
  reset to the measurement after 4 gated-out fixes in a row; restart after a gap > 120 s.
Not reproduced (they only matter on rare input): re-anchoring of the plane every 10 km and
the smoother's re-filtering of a rejected run after a reset.

Timing: best of 3 over all devices, CSV parsing and projection excluded. Tasks:
  kalman      the online filter (filterpy KalmanFilter.predict/update per fix)
  kalman-rts  the online filter storing means and covariances, then KalmanFilter.rts_smoother
              per segment
One line per task:

  peer=filterpy task=<task> n=<fixes> seconds=<best of 3> rate=<fixes/s> [quality=rms_m:<m>,raw_rms_m:<m>]

With --truth (CSV time,lat,lon[,device], the true position at each fix time), quality is the
RMS distance of the estimates to the truth over every fix, and raw_rms_m the same for the raw
fixes (outliers included: the truth file does not say which fixes are outliers).
"""

import argparse
import csv
import math
import time
from datetime import datetime

import numpy as np
from filterpy.common import Q_continuous_white_noise
from filterpy.kalman import KalmanFilter

EARTH_RADIUS_M = 6_371_008.8
PER_DEGREE = EARTH_RADIUS_M * math.pi / 180

Q_DENSITY = 1.0
MANEUVER_WEIGHT, MANEUVER_THRESHOLD, MANEUVER_GAIN, MANEUVER_MAX = 0.3, 3.0, 10.0, 100.0
GATE = 13.8155
RESET_AFTER = 4
MAX_GAP_MS = 120_000
INITIAL_VELOCITY_SIGMA = 15.0
SPEED_SIGMA, COURSE_SIGMA_DEG, STATIONARY_SPEED, MAX_SPEED = 0.5, 5.0, 0.5, 100.0
DEFAULT_SIGMA, UERE, MIN_SIGMA, RADIUS68 = 5.0, 5.0, 1.0, 1.5095921854516634

H_POSITION = np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0]])
H_VELOCITY = np.array([[0, 1.0, 0, 0], [0, 0, 0, 1.0]])


def parse_time_ms(text):
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def optional(row, key):
    value = row.get(key)
    if value is None or value == "":
        return None
    try:
        v = float(value)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


class Plane:
    def __init__(self, lat, lon):
        self.lat0, self.lon0 = lat, lon
        self.east_scale = PER_DEGREE * math.cos(math.radians(lat))

    def project(self, lat, lon):
        d_lon = (lon - self.lon0 + 180) % 360 - 180
        return d_lon * self.east_scale, (lat - self.lat0) * PER_DEGREE


def sigma_of(accuracy, hdop):
    if accuracy is not None and accuracy > 0:
        s = accuracy / RADIUS68
    elif hdop is not None and hdop > 0:
        s = hdop * UERE / math.sqrt(2)
    else:
        s = DEFAULT_SIGMA
    return max(s, MIN_SIGMA)


def velocity_of(speed, course):
    if speed is None or speed < 0 or speed > MAX_SPEED:
        return None
    if course is not None:
        r = math.radians(course)
        var = SPEED_SIGMA**2 + (speed * math.radians(COURSE_SIGMA_DEG)) ** 2
        return speed * math.sin(r), speed * math.cos(r), var
    if speed <= STATIONARY_SPEED:
        return 0.0, 0.0, SPEED_SIGMA**2 + speed * speed
    return None


def read_devices(path):
    """{device: dict of arrays (time_ms, east, north, sigma, velocity) sorted by time} and planes."""
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["device"], []).append(
                (
                    parse_time_ms(row["time"]),
                    float(row["lat"]),
                    float(row["lon"]),
                    optional(row, "speed_mps"),
                    optional(row, "course_deg"),
                    optional(row, "hdop"),
                    optional(row, "accuracy_m"),
                )
            )
    devices, planes = {}, {}
    for device, fixes in rows.items():
        fixes.sort(key=lambda r: r[0])
        plane = Plane(fixes[0][1], fixes[0][2])
        planes[device] = plane
        xy = [plane.project(r[1], r[2]) for r in fixes]
        devices[device] = {
            "time_ms": [r[0] for r in fixes],
            "z": [np.array(p) for p in xy],
            "sigma": [sigma_of(r[6], r[5]) for r in fixes],
            "velocity": [velocity_of(r[3], r[4]) for r in fixes],
        }
    return devices, planes


_MODEL = {}


def model(dt):
    """F and Q (for unit spectral density) of a step of dt seconds, cached per dt."""
    cached = _MODEL.get(dt)
    if cached is None:
        f = np.array([[1.0, dt, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, dt], [0, 0, 0, 1.0]])
        cached = _MODEL[dt] = (f, Q_continuous_white_noise(dim=2, dt=dt, spectral_density=1.0, block_size=2))
    return cached


def position_nis(kf, z, r):
    y = z - np.array([kf.x[0, 0], kf.x[2, 0]])
    s = np.array([[kf.P[0, 0] + r, kf.P[0, 2]], [kf.P[2, 0], kf.P[2, 2] + r]])
    return float(y @ np.linalg.solve(s, y))


def run(track, use_velocity, smooth):
    """Estimates (east, north) per fix, filtered or smoothed."""
    times, zs, sigmas, velocities = track["time_ms"], track["z"], track["sigma"], track["velocity"]
    n = len(times)
    out = np.zeros((n, 2))
    kf = KalmanFilter(dim_x=4, dim_z=2)
    segment = []  # (index, x, P, F, Q) of the current segment
    has_state = False
    state_ms = last_update_ms = 0
    rejections = 0
    nis_average, scale = 2.0, 1.0
    zero_q = np.zeros((4, 4))

    def close_segment():
        if not segment:
            return
        if smooth and len(segment) > 1:
            xs = np.array([s[1] for s in segment])
            ps = np.array([s[2] for s in segment])
            xs, _, _, _ = kf.rts_smoother(xs, ps, [s[3] for s in segment], [s[4] for s in segment])
            for (i, *_), x in zip(segment, xs):
                out[i] = x[0], x[2]
        else:
            for i, x, *_ in segment:
                out[i] = x[0], x[2]
        segment.clear()

    def start(i):
        nonlocal has_state, state_ms, last_update_ms, rejections, nis_average, scale
        close_segment()
        r = sigmas[i] ** 2
        z = zs[i]
        kf.x = np.array([[z[0]], [0.0], [z[1]], [0.0]])
        pv = INITIAL_VELOCITY_SIGMA**2
        v = velocities[i] if use_velocity else None
        if v is not None:
            kf.x[1, 0], kf.x[3, 0] = v[0], v[1]
            pv = min(v[2], pv)
        kf.P = np.diag([r, pv, r, pv])
        has_state, state_ms, last_update_ms, rejections = True, times[i], times[i], 0
        nis_average, scale = 2.0, 1.0
        return np.eye(4), zero_q

    run_start = None
    for i in range(n):
        t = times[i]
        if not has_state or t - last_update_ms > MAX_GAP_MS:
            f, q = start(i)
            segment.append((i, kf.x[:, 0].copy(), kf.P.copy(), f, q))
            continue
        if t < state_ms:
            f, q = np.eye(4), zero_q
            segment.append((i, kf.x[:, 0].copy(), kf.P.copy(), f, q))
            continue
        dt = (t - state_ms) / 1000
        v = velocities[i] if use_velocity else None
        step_scale = scale
        if v is not None and dt > 0:
            change2 = (v[0] - kf.x[1, 0]) ** 2 + (v[1] - kf.x[3, 0]) ** 2
            step_scale = min(max(scale, change2 / (2 * Q_DENSITY * dt)), MANEUVER_MAX)
        f, unit_q = model(dt)
        q = unit_q * (Q_DENSITY * step_scale)
        kf.predict(F=f, Q=q)
        state_ms = t
        r = sigmas[i] ** 2
        d2 = math.inf
        if v is not None:
            d2 = position_nis(kf, zs[i], r)
            kf.update(np.array([[v[0]], [v[1]]]), R=np.eye(2) * v[2], H=H_VELOCITY)
        d2 = min(d2, position_nis(kf, zs[i], r))
        nis_average = (1 - MANEUVER_WEIGHT) * nis_average + MANEUVER_WEIGHT * min(d2, GATE)
        scale = min(MANEUVER_MAX, 1 + MANEUVER_GAIN * max(0.0, nis_average - MANEUVER_THRESHOLD))
        if d2 > GATE:
            rejections += 1
            if rejections == 1:
                run_start = i
            if rejections >= RESET_AFTER:
                first = zs[run_start]
                span = (t - times[run_start]) / 1000
                f, q = start(i)
                if span > 0 and 2 * r / span**2 < kf.P[1, 1]:
                    kf.x[1, 0] = (zs[i][0] - first[0]) / span
                    kf.x[3, 0] = (zs[i][1] - first[1]) / span
                    kf.P[1, 1] = kf.P[3, 3] = 2 * r / span**2
                    kf.P[0, 1] = kf.P[1, 0] = kf.P[2, 3] = kf.P[3, 2] = r / span
            segment.append((i, kf.x[:, 0].copy(), kf.P.copy(), f, q))
            continue
        kf.update(zs[i].reshape(2, 1), R=np.eye(2) * r, H=H_POSITION)
        rejections = 0
        last_update_ms = t
        segment.append((i, kf.x[:, 0].copy(), kf.P.copy(), f, q))
    close_segment()
    return out


def read_truth(path, planes):
    """{(device or None, time_ms): (east, north)} in each device's plane."""
    truth = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            device = row.get("device")
            truth[(device, parse_time_ms(row["time"]))] = (float(row["lat"]), float(row["lon"]))
    return truth


def rms_against(truth, planes, devices, estimates):
    sum2, count = 0.0, 0
    for device, track in devices.items():
        plane = planes[device]
        for i, t in enumerate(track["time_ms"]):
            point = truth.get((device, t)) or truth.get((None, t))
            if point is None:
                continue
            e, n = plane.project(*point)
            de, dn = estimates[device][i][0] - e, estimates[device][i][1] - n
            sum2 += de * de + dn * dn
            count += 1
    return math.sqrt(sum2 / max(count, 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--truth", help="CSV time,lat,lon[,device]: the true position at each fix time")
    parser.add_argument("--no-velocity", action="store_true", help="ignore speed_mps/course_deg")
    args = parser.parse_args()
    devices, planes = read_devices(args.file)
    n = sum(len(d["time_ms"]) for d in devices.values())
    truth = read_truth(args.truth, planes) if args.truth else None
    raw = None
    if truth is not None:
        raw = rms_against(truth, planes, devices, {d: track["z"] for d, track in devices.items()})
    for task, smooth in (("kalman", False), ("kalman-rts", True)):
        best = math.inf
        estimates = None
        for _ in range(3):
            t0 = time.perf_counter()
            estimates = {d: run(track, not args.no_velocity, smooth) for d, track in devices.items()}
            best = min(best, time.perf_counter() - t0)
        line = f"peer=filterpy task={task} n={n} seconds={best:.3f} rate={n / best:.0f}"
        if truth is not None:
            line += f" quality=rms_m:{rms_against(truth, planes, devices, estimates):.3f},raw_rms_m:{raw:.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
