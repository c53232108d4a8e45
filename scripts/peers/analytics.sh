# Sourced by scripts/bench-peers (BENCH_ONLY=analytics, or all): the analytics kernels through
# Fieldtrace (`fieldtrace kernels`, in-process, parsing not timed) and through the Python peers
# (scripts/peers/*.py, parsing not timed either) on the same files, best of several runs, with
# ratios. Needs $BIN, $WORK and ensure_pip from scripts/lib/setup.sh.
analytics_part() {
    ensure_pip numpy numpy
    ensure_pip shapely shapely
    ensure_pip simplification simplification
    ensure_pip filterpy filterpy
    ensure_pip movingpandas movingpandas
    local day="$WORK/day-1hz.csv" drive="$WORK/drive"
    "$BIN" simulate --seed 1 --devices 1 --hours 24 --interval 1 --format csv > "$day"
    mkdir -p "$drive"
    "$BIN" simulate --scenario workday-drive --seed 1 --out "$drive" > /dev/null
    local results="$WORK/analytics-results.txt"
    : > "$results"
    log "fieldtrace kernels (day and workday-drive)"
    "$BIN" kernels --tolerance-m 5 20 --fence-counts 10000,20000 "$day" | grep -E "simplify|fences" >> "$results"
    "$BIN" kernels --tolerance-m 5 --fence-counts "" "$drive/fixes.csv" | grep -E "kalman|stops" >> "$results"
    log "peers: shapely and simplification (simplify), shapely STRtree (fences), filterpy, movingpandas"
    python3 scripts/peers/simplify.py "$day" --tolerance-m 5 20 >> "$results"
    python3 scripts/peers/fences.py --count 10000,20000 >> "$results"
    python3 scripts/peers/filter.py "$drive/fixes.csv" --truth "$drive/positions.csv" >> "$results"
    python3 scripts/peers/stops.py "$drive/fixes.csv" --truth "$drive/truth.json" >> "$results"

    echo
    echo "Analytics — same data, same task; rate in points (fixes or lookups) per second, best run"
    printf "%-26s %-34s %14s %10s  %s\n" "task" "implementation" "rate" "vs peer" "quality"
    # field KEY LINE: the value of KEY=... in a result line.
    field() { echo "$2" | tr ' ' '\n' | grep "^$1=" | head -1 | cut -d= -f2-; }
    row() {  # row TASK OURS_TASK PEER_PATTERN
        local ours peer ours_rate
        ours=$(grep "peer=fieldtrace task=$2 " "$results" | head -1 || true)
        [ -n "$ours" ] || return 0
        ours_rate=$(field rate "$ours")
        printf "%-26s %-34s %14s %10s  %s\n" "$1" "fieldtrace" "$ours_rate" "" "$(echo "$ours" | sed 's/.*quality=//')"
        # (|| true: a task without a peer line must not end the script under set -e -o pipefail)
        { grep -E "$3" "$results" | grep -v "peer=fieldtrace" || true; } | while read -r line; do
            local rate
            rate=$(field rate "$line")
            [ -n "$rate" ] && [ "$rate" != 0 ] || continue
            printf "%-26s %-34s %14s %9sx  %s\n" "" "$(field peer "$line")" "$rate" \
                "$(echo "$ours_rate / $rate" | bc -l | xargs printf "%.1f")" "$(echo "$line" | sed 's/.*quality=//')"
        done
    }
    row "Douglas-Peucker 5 m" "simplify-dp-5m" "task=dp-5m "
    row "Douglas-Peucker 20 m" "simplify-dp-20m" "task=dp-20m "
    row "TD-TR 5 m" "simplify-tdtr-5m" "task=none"
    row "fences 10,000" "fences-10000" "task=fences-10000 "
    row "fences 20,000" "fences-20000" "task=fences-20000 "
    row "Kalman online" "kalman-online" "task=kalman "
    row "Kalman + RTS" "kalman-rts" "task=kalman-rts "
    row "stop detection" "stops" "task=stops "
    echo "(all lines: $results)"
}
