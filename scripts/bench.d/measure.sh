# measure for scripts/bench: runs one client command under /usr/bin/time, in a session of its
# own so that its whole process tree can be sampled and, afterwards, its leftovers (OpenSSH
# ControlPersist masters of Ansible and testinfra) ended by pid. Sourced, not run.
# Needs $LAB, $RESULTS (TSV), $TOOL_TIMEOUT.

# tree_rss SID: total resident KiB of the processes of session SID.
tree_rss() { { ps -o rss= -s "$1" 2>/dev/null || true; } | awk '{ s += $1 } END { print s + 0 }'; }

# measure N LABEL OKFN COMMAND...: time COMMAND; OKFN (a function) then prints how many hosts
# the command really served (files written, hosts "ok"), which goes into the table with:
# wall s, client CPU s (user+sys of the tree, /usr/bin/time), peak RSS of its largest process
# (/usr/bin/time's %M) and the peak of the tree's summed RSS (sampled every 0.1 s).
measure() {
    local n=$1 label=$2 okfn=$3; shift 3
    rm -f "$LAB/time"
    setsid timeout "$TOOL_TIMEOUT" /usr/bin/time -f "%e %U %S %M" -o "$LAB/time" "$@" > "$LAB/out" 2>&1 &
    local pid=$! peak=0 r
    while kill -0 "$pid" 2>/dev/null; do
        r=$(tree_rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r
        sleep 0.1
    done
    wait "$pid" && rc=0 || rc=$?
    # Leftovers of the session (persisting ssh masters): ended one by one, by pid.
    local left; left=$(ps -o pid= -s "$pid" 2>/dev/null || true)
    for r in $left; do kill "$r" 2>/dev/null || true; done
    local wall user sys rss note=""
    if [ -s "$LAB/time" ] && read -r wall user sys rss < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$LAB/time" | tail -1) && [ -n "${wall:-}" ]; then :; else
        wall=NA user=0 sys=0 rss=0; note="no timing"
    fi
    [ "$rc" = 124 ] && note="timed out after ${TOOL_TIMEOUT}s"
    [ "$rc" != 0 ] && [ -z "$note" ] && note="exit $rc"
    local ok; ok=$($okfn 2>/dev/null || true); ok=${ok:-0}
    local cpu; cpu=$(printf '%.2f' "$(echo "$user + $sys" | bc)")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$ok" "$wall" "$cpu" "$((rss / 1024))" "$((peak / 1024))" "$note" >> "$RESULTS"
    printf '  %-40s %4s/%-4s hosts %8s s wall %8s s cpu %6s MB max-proc %6s MB tree %s\n' \
        "$label" "$ok" "$n" "$wall" "$cpu" "$((rss / 1024))" "$((peak / 1024))" "$note"
    if [ "$ok" != "$n" ]; then echo "    last output lines:"; tail -3 "$LAB/out" | cut -c1-300 | sed 's/^/    | /'; fi
}
