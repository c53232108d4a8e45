# Helpers for scripts that run `fieldtrace serve` (crash-test, load-test). Sourced after setup.sh.

# The release binary, built unless FIELDTRACE_BIN names one.
fieldtrace_binary() {
    if [[ -n "${FIELDTRACE_BIN:-}" ]]; then
        echo "$FIELDTRACE_BIN"
        return
    fi
    log "building release (swift build -c release --product fieldtrace)"
    (cd "$ROOT" && swift build -c release --product fieldtrace > "${TMPDIR:-/tmp}/fieldtrace-release-build.$$.log" 2>&1) || {
        tail -30 "${TMPDIR:-/tmp}/fieldtrace-release-build.$$.log" >&2
        log "release build failed"
        exit 1
    }
    echo "$ROOT/.build/release/fieldtrace"
}

# start_serve BIN DATA OUTFILE [serve args...]: starts serve in the background, sets SERVE_PID,
# waits (up to 60 s) for its `serve listening` line in OUTFILE.
start_serve() {
    local bin=$1 data=$2 out=$3
    shift 3
    : > "$out"
    "$bin" serve --data "$data" "$@" > "$out" 2>> "$out.stderr" &
    SERVE_PID=$!
    local waited=0
    until grep -q '^serve listening' "$out" 2>/dev/null; do
        if ! kill -0 "$SERVE_PID" 2>/dev/null; then
            log "serve exited before listening:"
            tail -20 "$out.stderr" >&2
            return 1
        fi
        sleep 0.05
        waited=$((waited + 1))
        if ((waited > 1200)); then
            log "serve did not listen within 60 s"
            return 1
        fi
    done
}
