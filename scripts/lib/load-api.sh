# `scripts/load-test api [DURATION_S]` (issue 6 item 8), sourced by scripts/load-test after setup.sh
# and serve.sh. Three measurements of the HTTP API, client and server on the same machine:
#   track     GET /v1/devices/day-1/track?format=geojson over one device-day (86,400 fixes at 1 Hz),
#             wrk with CONNECTIONS (default 8) connections for DURATION_S (default 10)
#   latest    GET /v1/positions/latest?limit=1000 over 10,000 devices, walking the pages by
#             next_cursor (a wrk Lua script): every request is a page of 1,000 devices
#   sse       `fieldtrace bench-fanout --transport http`: SUBSCRIBERS (1,000) SSE clients on real
#             loopback connections to /v1/events/stream while EVENT_RATE (10,000) events/s are
#             appended (its own in-process server: events reach subscribers only from the process
#             that appends them)
# Prints one `load-test api ...` line per measurement (requests/s, latency p50/p99 from wrk
# --latency, or the fan-out's delivered events/s and lag p50/p99/max) with the load average.
# Environment: FIELDTRACE_BIN, CONNECTIONS, WRK_THREADS (2), SUBSCRIBERS, EVENT_RATE, SSE_SECONDS
# (10), FLEET_DEVICES (10,000), API_PHASES (track,latest,sse), KEEP=1.

api_cleanup() {
    [[ -n "${SERVE_PID:-}" ]] && kill -9 "$SERVE_PID" 2>/dev/null
    [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}

run_api_load_test() {
    local duration=${1:-10}
    local connections=${CONNECTIONS:-8} threads=${WRK_THREADS:-2}
    local fleet=${FLEET_DEVICES:-10000} phases=${API_PHASES:-track,latest,sse}
    ensure_apt wrk
    BIN=$(fieldtrace_binary) || exit 1
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/fieldtrace-load-api.XXXXXX")
    SERVE_PID=""
    trap 'api_cleanup' EXIT
    local data=$WORK/data
    local day_start=2026-11-28T00:00:00Z day_end=2026-11-29T00:00:00Z

    # The data: one device-day at 1 Hz (day-1: 86,400 fixes in 24 sealed segments) and a fleet of
    # devices with a fix every 10 minutes for an hour (worker-0 ... worker-N), all seen on the wire
    # in the `default` tenant, and an analyst token of that tenant.
    log "load-test api: seeding $WORK/data (1 device-day, $fleet fleet devices)"
    "$BIN" simulate --devices 1 --hours 24 --interval 1 --format csv --seed 7 --start "$day_start" \
        > "$WORK/day.csv" || exit 1
    "$BIN" import --data "$data" --protocol csv --device day-1 "$WORK/day.csv" 2> "$WORK/import-day.err" || {
        cat "$WORK/import-day.err" >&2
        exit 1
    }
    "$BIN" simulate --devices "$fleet" --hours 1 --interval 600 --format csv --seed 8 --start "$day_start" \
        > "$WORK/fleet.csv" || exit 1
    "$BIN" import --data "$data" --protocol csv "$WORK/fleet.csv" 2> "$WORK/import-fleet.err" || {
        cat "$WORK/import-fleet.err" >&2
        exit 1
    }
    local token
    token=$("$BIN" token create --data "$data" --tenant default --role analyst --name load-test 2>/dev/null) || exit 1

    local off=()
    for key in nmea_tcp nmea_udp jt808_tcp gt06_tcp teltonika_tcp teltonika_udp; do off+=(--set "listeners.$key=-1"); done
    start_serve "$BIN" "$data" "$WORK/serve.out" --host 127.0.0.1 --metrics-port=-1 --log-level warning \
        --set api.host=127.0.0.1 --set api.port=0 --set api.osmand_port=-1 --set api.rate_limit_per_s=0 \
        "${off[@]}" || exit 1
    local port
    port=$(grep -o ' api=[0-9]*' "$WORK/serve.out" | cut -d= -f2)
    [[ -n "$port" ]] || { log "no api port in: $(cat "$WORK/serve.out")"; exit 1; }
    local url="http://127.0.0.1:$port"
    local track="$url/v1/devices/day-1/track?format=geojson&from=$day_start&to=$day_end"

    # The answers are checked once before they are timed.
    python3 - "$track" "$url/v1/positions/latest?limit=1000" "$token" "$fleet" <<'PY' || exit 1
import json, sys, urllib.request
track, latest, token, fleet = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def get(u):
    r = urllib.request.urlopen(urllib.request.Request(u, headers={"Authorization": "Bearer " + token}), timeout=60)
    return r.read()
body = get(track)
doc = json.loads(body)
n = len(doc["features"][0]["geometry"]["coordinates"])
assert n == 86400 and len(doc["features"][0]["properties"]["times"]) == n, n
seen, cursor = 0, None
while True:
    page = json.loads(get(latest + ("&cursor=" + cursor if cursor else "")))
    seen += len(page["items"])
    cursor = page["next_cursor"]
    if not cursor: break
assert seen == fleet + 1, seen
print(f"[fieldtrace] checked: track {n} positions, {len(body)} bytes; latest {seen} devices", file=sys.stderr)
PY

    cat > "$WORK/latest.lua" <<'LUA'
-- Walks GET /v1/positions/latest page by page (next_cursor), from the first page again at the end.
local cursor = nil
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LOAD_TOKEN")
request = function()
    local path = "/v1/positions/latest?limit=1000"
    if cursor then path = path .. "&cursor=" .. cursor end
    return wrk.format("GET", path)
end
response = function(status, headers, body)
    cursor = string.match(body, '"next_cursor":"([^"]+)"')
end
LUA

    wrk_line() { # wrk_line NAME OUTFILE: requests/s and latency percentiles of a wrk --latency run
        awk -v name="$1" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v c="$connections" -v d="$duration" '
            /^ +50%/ { p50 = $2 } /^ +75%/ { p75 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
            /Requests\/sec/ { rps = $2 } /requests in/ { n = $1 } /Non-2xx/ { bad = $NF } /Socket errors/ { err = $0 }
            /Transfer\/sec/ { xfer = $2 }
            END { printf "load-test api %s connections=%d duration_s=%s requests=%s requests_per_s=%s p50=%s p75=%s p90=%s p99=%s transfer_per_s=%s non_2xx=%s%s load=%s\n",
                name, c, d, n, rps, p50, p75, p90, p99, xfer, bad == "" ? 0 : bad, err == "" ? "" : " (" err ")", load }' "$2"
    }

    log "load-test api: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ ",$phases," == *",track,"* ]]; then
        wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency \
            -H "Authorization: Bearer $token" "$track" > "$WORK/wrk-track.out" 2>&1
        cat "$WORK/wrk-track.out" >&2
        wrk_line track-geojson-86400 "$WORK/wrk-track.out"
    fi
    if [[ ",$phases," == *",latest,"* ]]; then
        LOAD_TOKEN=$token wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency \
            -s "$WORK/latest.lua" "$url" > "$WORK/wrk-latest.out" 2>&1
        cat "$WORK/wrk-latest.out" >&2
        wrk_line "latest-page-1000-of-$((fleet + 1))" "$WORK/wrk-latest.out"
    fi
    kill -TERM "$SERVE_PID"
    wait "$SERVE_PID" || log "serve exited $? on SIGTERM"
    SERVE_PID=""
    if [[ ",$phases," == *",sse,"* ]]; then
        local out
        out=$("$BIN" bench-fanout --transport http --subscribers "${SUBSCRIBERS:-1000}" --rate "${EVENT_RATE:-10000}" \
            --seconds "${SSE_SECONDS:-10}") || exit 1
        echo "load-test api sse-fanout $out load=$(cut -d' ' -f1-3 /proc/loadavg)"
    fi
}
