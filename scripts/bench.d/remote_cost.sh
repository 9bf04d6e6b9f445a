# Remote cost of one capture for scripts/bench: CPU time the collector script uses on a host
# (user + sys of everything it starts), averaged over RUNS runs. Sourced, not run.
# Needs $LAB/script (the script postpatch runs); sets REMOTE_COST_LINES (markdown lines).

# cpu_ms: the children line of the shell's `times` output -> milliseconds.
cpu_ms() { awk 'NR == 2 { split($1, a, "m"); split($2, b, "m"); sub("s", "", a[2]); sub("s", "", b[2]);
                          printf "%.0f", (a[1] * 60 + a[2] + b[1] * 60 + b[2]) * 1000 }'; }

# cost_loop RUNS: the shell loop that runs the script ($0) RUNS times and prints `times`. Each
# run is a session leader (setsid) under the looping shell, as a capture is under sshd, so the
# script's connection watch runs as it does there (read without a session leader, it costs
# nothing and hid 18 ms per capture from earlier figures). setsid's own exec is counted.
cost_loop() { echo "i=0; while [ \$i -lt $1 ]; do setsid -w sh \$0 >/dev/null 2>&1; i=\$((i+1)); done; times"; }

# cost_boot ROOTFS: boots ROOTFS with systemd as PID 1 (systemd-nspawn, private network,
# throwaway overlay) and waits for it to settle; sets COST_NSPAWN, COST_LEADER, COST_STATE.
cost_boot() {
    systemd-nspawn --quiet --directory="$1" --boot --volatile=overlay --register=no --keep-unit \
        --machine="ppcost-$$" --private-network --console=read-only --link-journal=no \
        --resolv-conf=off --timezone=off > "$LAB/cost-nspawn.log" 2>&1 &
    COST_NSPAWN=$! COST_LEADER="" COST_STATE=""
    for _ in $(seq 100); do COST_LEADER=$(pgrep -P "$COST_NSPAWN" || true); [ -n "$COST_LEADER" ] && break; sleep 0.1; done
    for _ in $(seq 120); do
        COST_STATE=$(nsenter -t "$COST_LEADER" -a systemctl is-system-running 2>/dev/null || true)
        case $COST_STATE in running|degraded) break ;; esac
        sleep 0.5
    done
}

cost_stop() { kill "$COST_NSPAWN" 2>/dev/null || true; wait "$COST_NSPAWN" 2>/dev/null || true; }

# cost_inside SCRIPT RUNS: mean CPU ms per run of SCRIPT as root inside the booted host (one
# decimal). PID 1's own CPU over the same runs (systemd answering the script's systemctl calls:
# host CPU the script's process tree does not show) goes to $LAB/cost-pid1, ms per run.
cost_pid1_ticks() { nsenter -t "$COST_LEADER" -a sh -c 'read -r l </proc/1/stat; set -- ${l##*") "}; echo $(( ${12} + ${13} ))'; }
cost_inside() {
    local before after
    nsenter -t "$COST_LEADER" -a sh -c 'cat > /root/cost.sh' < "$1"
    before=$(cost_pid1_ticks)
    nsenter -t "$COST_LEADER" -a sh -c "$(cost_loop "$2")" /root/cost.sh | cpu_ms | awk -v r="$2" '{ printf "%.1f", $1 / r }'
    after=$(cost_pid1_ticks)
    # USER_HZ is 100 on Linux: a tick is 10 ms.
    awk -v t="$((after - before))" -v r="$2" 'BEGIN { printf "%.1f\n", t * 10 / r }' > "$LAB/cost-pid1"
}

# remote_cost RUNS: on this machine as the lab user, then inside a Debian 12 rootfs booted with
# systemd as PID 1 (systemd-nspawn, private network, throwaway overlay), when scripts/lab-rootfs
# has built it.
# REMOTE_COST_SCRIPT (default $LAB/script) and REMOTE_COST_ROOTFS (default the minbase lab
# rootfs) choose what is measured where (--remote-cost uses both); with REMOTE_COST_STEPS (a
# file name), the cost of each step is written there too (cost_steps).
remote_cost() {
    local runs=${1:-20} ms sysv rootfs=${REMOTE_COST_ROOTFS:-/var/cache/postpatch-lab/bookworm-rootfs}
    local script=${REMOTE_COST_SCRIPT:-$LAB/script}
    REMOTE_COST_LINES=()
    install -m 644 "$script" "$LAB/cost.sh"
    ms=$(su -s /bin/sh pplab -c "$(cost_loop "$runs")" "$LAB/cost.sh" | cpu_ms)
    sysv=$(su -s /bin/sh pplab -c "i=0; while [ \$i -lt $runs ]; do service --status-all >/dev/null 2>&1; i=\$((i+1)); done; times" | cpu_ms)
    local init; init=$([ -d /run/systemd/system ] && echo "systemd" || echo "no systemd as PID 1: services through \`service --status-all\`, whose init scripts' own status actions cost $((sysv / runs)) ms")
    REMOTE_COST_LINES+=("- this machine, as the lab user ($init): **$((ms / runs)) ms** per capture")
    echo "remote cost: this machine $((ms / runs)) ms per capture ($init)"
    if [ ! -d "$rootfs" ] || ! command -v systemd-nspawn >/dev/null; then
        REMOTE_COST_LINES+=("- a systemd host: not measured (no $rootfs: run scripts/lab-rootfs)")
        return 0
    fi
    cost_boot "$rootfs"
    ms=$(cost_inside "$script" "$runs"); ms=${ms%.*}
    REMOTE_COST_PID1_MS=$(cat "$LAB/cost-pid1")
    [ -z "${REMOTE_COST_STEPS:-}" ] || cost_steps "$script" "$runs" > "$REMOTE_COST_STEPS"
    cost_stop
    REMOTE_COST_LINES+=("- Debian 12 with systemd 252 as PID 1 ($(basename "$rootfs") booted with systemd-nspawn, state $COST_STATE), as root: **$ms ms** per capture, plus $REMOTE_COST_PID1_MS ms of PID 1 answering its systemctl calls")
    echo "remote cost: systemd host ($(basename "$rootfs")) $ms ms per capture, PID 1 $REMOTE_COST_PID1_MS ms"
    REMOTE_COST_SYSTEMD_MS=$ms
}

# cost_only SCRIPT NAME: SCRIPT with every step other than NAME replaced by `:` (NAME "" keeps
# none: the frame alone, i.e. the preamble, the tests choosing each branch, the markers).
cost_only() {
    awk -v keep="$2" '/^pp_m BEGIN / { n = $3; gsub("\047", "", n); if (n != keep) { skip = 1; print ":" } }
        !skip { print } skip && /^pp_end / { skip = 0 }' "$1"
}

# cost_steps SCRIPT RUNS (inside the booted host): "MS NAME" lines, the frame first, then each
# step's CPU on top of the frame: the frame plus that one step, less the frame alone, each the
# mean of RUNS runs. The steps are subshells that share nothing, so these add up to the whole.
cost_steps() {
    local script=$1 runs=$2 frame name ms
    cost_only "$script" "" > "$LAB/cost-frame.sh"
    frame=$(cost_inside "$LAB/cost-frame.sh" "$runs")
    echo "$frame (frame: preamble, branch tests, markers, cleanup)"
    for name in $(awk '/^pp_m BEGIN / { n = $3; gsub("\047", "", n); if (!(n in seen)) { seen[n] = 1; print n } }' "$script"); do
        cost_only "$script" "$name" > "$LAB/cost-step.sh"
        ms=$(cost_inside "$LAB/cost-step.sh" "$runs")
        # Steps of branches this host does not take (rpm, openrc, ...) are left out.
        [ "$(nsenter -t "$COST_LEADER" -a sh /root/cost.sh 2>/dev/null | grep -c " BEGIN $name\$")" -gt 0 ] || continue
        echo "$ms $frame $name" | awk '{ printf "%.1f %s\n", $1 - $2, $3 }'
    done
}
