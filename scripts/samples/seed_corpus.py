#!/usr/bin/env python3
"""Writes the sample captures of a fuzz target's protocol into a libFuzzer corpus folder.

Hex captures become one binary file per line; raw captures are copied whole."""
import os
import sys

FOLDERS = {
    "FuzzNMEA": ["nmea"],
    "FuzzJT808": ["jt808"],
    "FuzzTeltonika": ["teltonika", "teltonika-udp"],
    "FuzzGT06": ["gt06"],
    "FuzzOsmAnd": ["osmand"],
}


def main() -> None:
    target, corpus = sys.argv[1], sys.argv[2]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sample-data")
    count = 0
    for folder in FOLDERS.get(target, []):
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if ".expected." in name or name.endswith(".md"):
                continue
            data = open(os.path.join(path, name), "rb").read()
            if name.endswith(".hex"):
                for line in data.decode("ascii", "replace").splitlines():
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    try:
                        blob = bytes.fromhex(line.replace(" ", ""))
                    except ValueError:
                        continue
                    open(os.path.join(corpus, f"{folder}-{count}"), "wb").write(blob)
                    count += 1
            else:
                open(os.path.join(corpus, f"{folder}-{count}"), "wb").write(data)
                count += 1
                if folder == "osmand":
                    # One request per line: each is a seed of its own.
                    for line in data.splitlines():
                        if line.strip() and not line.startswith(b"#"):
                            open(os.path.join(corpus, f"{folder}-{count}"), "wb").write(line)
                            count += 1
    print(f"seeded {count} inputs", file=sys.stderr)


if __name__ == "__main__":
    main()
