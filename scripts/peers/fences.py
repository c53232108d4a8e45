#!/usr/bin/env python3
"""Geofence lookup peer: shapely's STRtree point-in-polygon on the same fences and points.

The fences are Fieldtrace's `SyntheticFences` set (circles, 5-50 vertex polygons with some
holes, corridors), generated here step for step with the same SplitMix64 stream as the Swift
generator (Sources/FieldtraceTestSupport/Geofence/SyntheticFences.swift), or read from a
GeoJSON file (`--fences`). Points are the same generated points (seed 2) or the lat/lon of a
CSV (header device,time,lat,lon,...). Everything is projected to one local plane in metres
(equirectangular at the set's origin); circles and corridors become shapely buffers (16
segments per quarter circle), as a shapely user would model them.

Timed: one bulk `STRtree.query(points, predicate="intersects")` (shapely's fastest path for
many points), best of 3; the tree is built outside the timing, as our index is.

Prints: peer=shapely-strtree task=fences-<count> n=<points> seconds=<best> rate=<points/s> quality=hits=<pairs>

Usage: fences.py [--count 10000,20000] [--points 100000] [--fences F.geojson] [CSV]
Requires: pip install shapely numpy
"""
import argparse
import csv
import json
import math
import sys
import time

import numpy as np
import shapely
from shapely import STRtree

MASK = (1 << 64) - 1
ORIGIN_LAT = 31.2304
ORIGIN_LON = 121.4737
M_PER_DEG = 6_371_008.8 * math.pi / 180


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) / float(1 << 53)


def position(east, north):
    """Degrees (lon, lat) rounded to 1e-7 like the Swift generator."""
    lat = ORIGIN_LAT + north / M_PER_DEG
    lon = ORIGIN_LON + east / (M_PER_DEG * math.cos(ORIGIN_LAT * math.pi / 180))
    return (math.floor(lon * 1e7 + 0.5) / 1e7, math.floor(lat * 1e7 + 0.5) / 1e7)


def synthetic_fences(count, seed, side=40_000.0):
    """GeoJSON-like dicts, identical to SyntheticFences.geoJSON(count:seed:sideM:)."""
    g = SplitMix64(seed)
    u = g.uniform
    features = []
    for i in range(count):
        cx = (u() - 0.5) * side
        cy = (u() - 0.5) * side
        kind = u()
        if kind < 0.4:
            radius = math.floor(30 + u() * 270 + 0.5)
            features.append({"id": f"f{i}", "geometry": {"type": "Point", "coordinates": list(position(cx, cy))},
                             "properties": {"radius_m": radius}})
        elif kind < 0.8:
            n = 5 + int(u() * 46)
            radius = 50 + u() * 350
            hole = u() < 0.1
            ring = []
            for k in range(n):
                angle = (k + u() * 0.8) * 2 * math.pi / n
                r = radius * (0.6 + 0.4 * u())
                ring.append(list(position(cx + r * math.cos(angle), cy + r * math.sin(angle))))
            ring.append(ring[0])
            rings = [ring]
            if hole:
                h = radius * 0.2
                rings.append([list(position(cx + dx, cy + dy))
                              for dx, dy in [(-h, -h), (-h, h), (h, h), (h, -h), (-h, -h)]])
            features.append({"id": f"f{i}", "geometry": {"type": "Polygon", "coordinates": rings}, "properties": {}})
        else:
            n = 2 + int(u() * 7)
            width = math.floor(20 + u() * 40 + 0.5)
            heading = u() * 2 * math.pi
            x, y = cx, cy
            line = []
            for k in range(n):
                if k > 0:
                    leg = 100 + u() * 300
                    heading += (u() - 0.5) * math.pi / 2
                    x += leg * math.cos(heading)
                    y += leg * math.sin(heading)
                line.append(list(position(x, y)))
            features.append({"id": f"f{i}", "geometry": {"type": "LineString", "coordinates": line},
                             "properties": {"width_m": width}})
    return features


def synthetic_points(count, seed, side=40_000.0):
    g = SplitMix64(seed)
    pts = []
    for _ in range(count):
        east = (g.uniform() - 0.5) * side
        north = (g.uniform() - 0.5) * side
        pts.append(position(east, north))
    return pts


def project(lon, lat):
    return ((lon - ORIGIN_LON) * M_PER_DEG * math.cos(ORIGIN_LAT * math.pi / 180), (lat - ORIGIN_LAT) * M_PER_DEG)


def to_shapely(feature):
    geom = feature["geometry"]
    props = feature.get("properties") or {}
    t = geom["type"]
    c = geom["coordinates"]
    if t == "Point":
        return shapely.Point(project(*c[:2])).buffer(props["radius_m"], quad_segs=16)
    if t == "LineString":
        return shapely.LineString([project(*p[:2]) for p in c]).buffer(props["width_m"] / 2, quad_segs=16)
    if t == "Polygon":
        rings = [[project(*p[:2]) for p in ring] for ring in c]
        return shapely.Polygon(rings[0], rings[1:])
    if t == "MultiPolygon":
        return shapely.MultiPolygon([shapely.Polygon([[project(*p[:2]) for p in r] for r in poly][0],
                                                     [[project(*p[:2]) for p in r] for r in poly][1:]) for poly in c])
    raise ValueError(f"unsupported fence geometry {t}")


def read_csv_points(path):
    pts = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            pts.append((float(row["lon"]), float(row["lat"])))
    return pts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", help="points CSV (device,time,lat,lon,...); default: generated points")
    ap.add_argument("--count", default="10000,20000", help="fence counts of the generated set (comma-separated)")
    ap.add_argument("--points", type=int, default=100_000, help="generated points (seed 2)")
    ap.add_argument("--fences", help="GeoJSON FeatureCollection instead of the generated set")
    args = ap.parse_args()

    lonlat = read_csv_points(args.csv) if args.csv else synthetic_points(args.points, 2)
    xy = np.array([project(lon, lat) for lon, lat in lonlat])
    points = shapely.points(xy)

    sets = []
    if args.fences:
        with open(args.fences) as f:
            sets.append((f"fences-file", json.load(f)["features"]))
    else:
        for count in [int(c) for c in args.count.split(",")]:
            sets.append((f"fences-{count}", synthetic_fences(count, 1)))

    for task, features in sets:
        tree = STRtree([to_shapely(f) for f in features])
        best = math.inf
        hits = 0
        for _ in range(3):
            t0 = time.perf_counter()
            pairs = tree.query(points, predicate="intersects")
            best = min(best, time.perf_counter() - t0)
            hits = pairs.shape[1]
        n = len(lonlat)
        print(f"peer=shapely-strtree task={task} n={n} seconds={best:.4f} rate={n / best:.0f} quality=hits={hits}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
