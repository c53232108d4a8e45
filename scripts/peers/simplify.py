#!/usr/bin/env python3
"""Peers for Fieldtrace's Douglas-Peucker: shapely and the `simplification` package, on the same CSV.

Usage: scripts/peers/simplify.py FILE.csv [--tolerance-m 5 20]
       (pip install shapely numpy simplification)

Input: CSV with a header naming at least device,time,lat,lon (time ISO 8601 or Unix ms), e.g.
`fieldtrace simulate --seed 1 --devices 1 --hours 24 --format csv`. Each device's track, in file
order, is projected once to local metres (equirectangular at the track's mean latitude, as
Fieldtrace does) and simplified at each tolerance by:

  shapely        shapely.simplify(line, tol, preserve_topology=False)  (GEOS Douglas-Peucker)
  simplification simplify_coords_idx(xy, tol)                            (Rust RDP)
  simplification simplify_coords_vw_idx(xy, tol**2)                      (Visvalingam-Whyatt)

Visvalingam-Whyatt's threshold is an area, not a distance; it gets tol² m² (a triangle of base
and height tol has area tol²/2) and its max error is printed so the comparison stays honest.

Timing: best of 3 over all devices, building the geometry/array from projected metres included,
CSV parsing and projection excluded. Quality: points kept and the max distance (metres) of a
dropped point to the kept segment covering it. One line per peer and tolerance:

  peer=<name> task=dp-<tol>m n=<points> seconds=<best of 3> rate=<points/s> quality=kept:<n>,max_error_m:<m>
"""

import argparse
import csv
import math
import sys
import time
from datetime import datetime

import numpy as np
import shapely
from simplification.cutil import simplify_coords_idx, simplify_coords_vw_idx

EARTH_RADIUS_M = 6_371_008.8


def parse_time_ms(text):
    if text.isdigit():
        return int(text)
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def read_tracks(path):
    """{device: (n, 2) array of projected metres} in file order (times are not needed by DP)."""
    lats, lons = {}, {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            device = row["device"]
            lats.setdefault(device, []).append(float(row["lat"]))
            lons.setdefault(device, []).append(float(row["lon"]))
    tracks = {}
    for device, lat in lats.items():
        lat = np.asarray(lat)
        lon = np.asarray(lons[device])
        per_degree = EARTH_RADIUS_M * math.pi / 180
        east_scale = per_degree * math.cos(math.radians(float(lat.mean())))
        d_lon = (lon - lon[0] + 180) % 360 - 180
        tracks[device] = np.ascontiguousarray(np.column_stack((d_lon * east_scale, (lat - lat[0]) * per_degree)))
    return tracks


def max_segment_error(xy, kept):
    """Largest distance of a point to the kept segment covering it (kept points measure 0)."""
    kept = np.asarray(kept)
    if len(kept) < 2:
        return 0.0
    idx = np.arange(len(xy))
    seg = np.clip(np.searchsorted(kept, idx, side="right") - 1, 0, len(kept) - 2)
    a = xy[kept[seg]]
    b = xy[kept[seg + 1]]
    d = b - a
    length2 = (d * d).sum(axis=1)
    p = xy - a
    t = np.where(length2 > 0, (p * d).sum(axis=1) / np.where(length2 > 0, length2, 1), 0)
    t = np.clip(t, 0, 1)
    q = p - d * t[:, None]
    return float(np.sqrt((q * q).sum(axis=1)).max())


def shapely_indices(xy, tolerance):
    out = shapely.get_coordinates(shapely.simplify(shapely.linestrings(xy), tolerance, preserve_topology=False))
    kept, j = [], 0
    for x, y in out:  # output vertices are input vertices, in order
        while xy[j, 0] != x or xy[j, 1] != y:
            j += 1
        kept.append(j)
        j += 1
    return kept


PEERS = {
    "shapely": lambda xy, tol: shapely.simplify(shapely.linestrings(xy), tol, preserve_topology=False),
    "simplification-rdp": lambda xy, tol: simplify_coords_idx(xy, tol),
    "simplification-vw": lambda xy, tol: simplify_coords_vw_idx(xy, tol * tol),
}
INDICES = {
    "shapely": shapely_indices,
    "simplification-rdp": lambda xy, tol: sorted(simplify_coords_idx(xy, tol)),
    "simplification-vw": lambda xy, tol: sorted(simplify_coords_vw_idx(xy, tol * tol)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--tolerance-m", type=float, nargs="+", default=[5.0, 20.0])
    args = parser.parse_args()
    tracks = read_tracks(args.file)
    n = sum(len(xy) for xy in tracks.values())
    for tolerance in args.tolerance_m:
        for name, run in PEERS.items():
            best = math.inf
            for _ in range(3):
                t0 = time.perf_counter()
                for xy in tracks.values():
                    run(xy, tolerance)
                best = min(best, time.perf_counter() - t0)
            kept = 0
            error = 0.0
            for xy in tracks.values():
                indices = INDICES[name](xy, tolerance)
                kept += len(indices)
                error = max(error, max_segment_error(xy, indices))
            print(
                f"peer={name} task=dp-{tolerance:g}m n={n} seconds={best:.6f} rate={n / best:.0f} "
                f"quality=kept:{kept},max_error_m:{error:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
