#!/usr/bin/env python3
"""Stop detection peer: movingpandas' TrajectoryStopDetector on a Fieldtrace CSV.

Input: CSV with a header naming at least device,time,lat,lon (time ISO 8601 or Unix ms); other
columns are ignored. Parameters match Fieldtrace's StopDetector defaults: a stop stays within a
60 m radius (movingpandas' max_diameter = 2 x radius, geodesic metres for WGS-84) for at least
120 s (min_duration).

Timed: building the TrajectoryCollection and get_stop_time_ranges (CSV parsing excluded), best
of --repeat runs. Prints one line:

  peer=movingpandas task=stops n=<points> seconds=<best> rate=<points/s> quality=<stops found>
      [precision=<p> recall=<r> fragmented=<true stops matched by more than one detection>
       at_pauses=<detections overlapping a traffic pause>]

The scores need --truth FILE (`fieldtrace simulate`'s truth.json): JSON with a "stops" list
(and optionally "traffic_pauses") of objects whose start/end are given as
"start"/"end", "start_ms"/"end_ms", "startMs"/"endMs" or "arrival"/"departure" (ISO 8601
strings or Unix ms). A detection matches a true stop when their intervals overlap.

Install: python3 -m pip install movingpandas   (pulls geopandas, shapely, pandas, geopy)
"""
import argparse
import json
import sys
import time
import warnings
from datetime import timedelta

warnings.filterwarnings("ignore")  # movingpandas warns about optional smoother dependencies

import pandas as pd  # noqa: E402
import geopandas as gpd  # noqa: E402
import movingpandas as mpd  # noqa: E402


def read_fixes(path):
    df = pd.read_csv(path, dtype={"device": str})
    missing = {"device", "time", "lat", "lon"} - set(df.columns)
    if missing:
        sys.exit(f"stops.py: {path}: missing columns {sorted(missing)}")
    times = df["time"]
    if pd.api.types.is_numeric_dtype(times):
        df["t"] = pd.to_datetime(times, unit="ms", utc=True)
    else:
        df["t"] = pd.to_datetime(times, utc=True, format="ISO8601")
    df = df.sort_values(["device", "t"], kind="stable")
    return df[["device", "t", "lat", "lon"]].reset_index(drop=True)


def detect(df, radius_m, min_duration_s):
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    collection = mpd.TrajectoryCollection(gdf, traj_id_col="device", t="t")
    detector = mpd.TrajectoryStopDetector(collection)
    ranges = detector.get_stop_time_ranges(
        max_diameter=2 * radius_m, min_duration=timedelta(seconds=min_duration_s))
    return [(utc(r.t_0), utc(r.t_n)) for r in ranges]


def utc(value):
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def to_timestamp(value):
    if isinstance(value, (int, float)):
        return pd.Timestamp(int(value), unit="ms", tz="UTC")
    return utc(value)


def intervals(items):
    out = []
    for item in items:
        for a, b in (("start", "end"), ("start_ms", "end_ms"), ("startMs", "endMs"), ("arrival", "departure")):
            if a in item and b in item:
                out.append((to_timestamp(item[a]), to_timestamp(item[b])))
                break
    return out


def read_truth(path):
    """The true stops and traffic pauses (`fieldtrace simulate`'s truth.json has both)."""
    with open(path) as f:
        data = json.load(f)
    return intervals(data.get("stops", [])), intervals(data.get("traffic_pauses", []))


def score(detected, truth, pauses):
    def overlaps(x, y):
        return x[0] <= y[1] and y[0] <= x[1]

    tp = sum(1 for d in detected if any(overlaps(d, t) for t in truth))
    matches = [sum(1 for d in detected if overlaps(d, t)) for t in truth]
    precision = tp / len(detected) if detected else 1.0
    recall = sum(1 for m in matches if m > 0) / len(truth) if truth else 1.0
    fragmented = sum(1 for m in matches if m > 1)
    at_pauses = sum(1 for d in detected if any(overlaps(d, p) for p in pauses))
    return precision, recall, fragmented, at_pauses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv")
    parser.add_argument("--radius-m", type=float, default=60.0)
    parser.add_argument("--min-duration-s", type=float, default=120.0)
    parser.add_argument("--truth")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    df = read_fixes(args.csv)
    best = float("inf")
    stops = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        stops = detect(df, args.radius_m, args.min_duration_s)
        best = min(best, time.perf_counter() - t0)
    line = (f"peer=movingpandas task=stops n={len(df)} seconds={best:.3f} rate={len(df) / best:.0f} "
            f"quality={len(stops)}")
    if args.truth:
        precision, recall, fragmented, at_pauses = score(stops, *read_truth(args.truth))
        line += f" precision={precision:.3f} recall={recall:.3f} fragmented={fragmented} at_pauses={at_pauses}"
    print(line)


if __name__ == "__main__":
    main()
