# Remote cost of one capture for scripts/bench: CPU time the collector script uses on a host
# (user + sys of everything it starts), averaged over RUNS runs. Sourced, not run.
# Needs $LAB/script (the script postpatch runs); sets REMOTE_COST_LINES (markdown lines).

# cpu_ms: the children line of the shell's `times` output -> milliseconds.
cpu_ms() { awk 'NR == 2 { split($1, a, "m"); split($2, b, "m"); sub("s", "", a[2]); sub("s", "", b[2]);
                          printf "%.0f", (a[1] * 60 + a[2] + b[1] * 60 + b[2]) * 1000 }'; }

# remote_cost RUNS: on this machine as the lab user, then inside a Debian 12 rootfs booted with
# systemd as PID 1 (systemd-nspawn, private network, throwaway overlay), when scripts/lab-rootfs
# has built it.
# REMOTE_COST_SCRIPT (default $LAB/script) and REMOTE_COST_ROOTFS (default the minbase lab
# rootfs) choose what is measured where (--remote-cost uses both).
remote_cost() {
    local runs=${1:-20} ms sysv rootfs=${REMOTE_COST_ROOTFS:-/var/cache/postpatch-lab/bookworm-rootfs}
    local script=${REMOTE_COST_SCRIPT:-$LAB/script}
    local loop="i=0; while [ \$i -lt $runs ]; do sh \$0 >/dev/null 2>&1; i=\$((i+1)); done; times"
    REMOTE_COST_LINES=()
    install -m 644 "$script" "$LAB/cost.sh"
    ms=$(su -s /bin/sh pplab -c "$loop" "$LAB/cost.sh" | cpu_ms)
    sysv=$(su -s /bin/sh pplab -c "i=0; while [ \$i -lt $runs ]; do service --status-all >/dev/null 2>&1; i=\$((i+1)); done; times" | cpu_ms)
    local init; init=$([ -d /run/systemd/system ] && echo "systemd" || echo "no systemd as PID 1: services through \`service --status-all\`, whose init scripts' own status actions cost $((sysv / runs)) ms")
    REMOTE_COST_LINES+=("- this machine, as the lab user ($init): **$((ms / runs)) ms** per capture")
    echo "remote cost: this machine $((ms / runs)) ms per capture ($init)"
    if [ ! -d "$rootfs" ] || ! command -v systemd-nspawn >/dev/null; then
        REMOTE_COST_LINES+=("- a systemd host: not measured (no $rootfs: run scripts/lab-rootfs)")
        return 0
    fi
    systemd-nspawn --quiet --directory="$rootfs" --boot --volatile=overlay --register=no --keep-unit \
        --machine="ppcost-$$" --private-network --console=read-only --link-journal=no \
        --resolv-conf=off --timezone=off > "$LAB/cost-nspawn.log" 2>&1 &
    local nspawn=$! leader="" state=""
    for _ in $(seq 100); do leader=$(pgrep -P "$nspawn" || true); [ -n "$leader" ] && break; sleep 0.1; done
    for _ in $(seq 120); do
        state=$(nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null || true)
        case $state in running|degraded) break ;; esac
        sleep 0.5
    done
    nsenter -t "$leader" -a sh -c 'cat > /root/cost.sh' < "$script"
    ms=$(nsenter -t "$leader" -a sh -c "$loop" /root/cost.sh | cpu_ms)
    kill "$nspawn" 2>/dev/null || true
    wait "$nspawn" 2>/dev/null || true
    REMOTE_COST_LINES+=("- Debian 12 with systemd 252 as PID 1 ($(basename "$rootfs") booted with systemd-nspawn, state $state), as root: **$((ms / runs)) ms** per capture")
    echo "remote cost: systemd host ($(basename "$rootfs")) $((ms / runs)) ms per capture"
    REMOTE_COST_SYSTEMD_MS=$((ms / runs))
}
