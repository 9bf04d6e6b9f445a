#!/usr/bin/env bash
# What the learned endpoint probes cost (docs/endpoints.md, "Cost"; figures, never asserted):
# `postpatch snapshot` of the bench lab's N loopback hosts (scripts/bench.d/lab.sh), learning off,
# then on, each ROUNDS times, under /usr/bin/time (wall, client CPU).
#
# Every lab host is this machine, so each would probe every other lab host's sshd (N² probes):
# the config leaves to each host only the ports of a small real server, started here on
# 127.0.0.1 (an sshd: SSH handshake; busybox httpd on a known HTTP port: GET /; a server that
# greets: banner and QUIT), plus, with SILENT=1, one port that accepts and never speaks (the
# 1 s banner wait). Everything else is ignored (`ignore: { endpoints: [...] }`). socat listens
# with a backlog of 1024: its default of 5 drops SYNs when 64 hosts connect at once.
#
# Usage: bash scripts/bench.d/endpoints.sh [N]     (default 200)
# Environment: PAR (--parallel, default 64), ROUNDS (default 3), PORT (the lab's sshd port,
# default 2322), SILENT (1: add the silent port), KEEP (a folder to copy the last learning
# snapshots into).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/setup.sh
. scripts/bench.d/lab.sh
N=${1:-200}; PAR=${PAR:-64}; ROUNDS=${ROUNDS:-3}; PORT=${PORT:-2322}; SILENT=${SILENT:-0}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
pp_need openssh-server openssh-client socat busybox time iproute2 bc
pp_lab_user
swift build -c release --product postpatch 2>&1 | tail -1
PP="$(swift build -c release --show-bin-path)/postpatch"
LAB=$(mktemp -d /tmp/postpatch-bench-endpoints.XXXXXX)
chmod 755 "$LAB"
SERVERS=()
trap 'lab_stop; for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] && cp -r "$LAB/out-true" "$KEEP"; rm -rf "$LAB"' EXIT

free_port() {  # a free TCP port among the arguments
    local p
    for p in "$@"; do ss -Htln "( sport = :$p )" | grep -q . || { echo "$p"; return; }; done
    echo "bench endpoints: none of the ports $* is free" >&2; exit 1
}

lab_start "$N"
# The small real server every lab host "has".
SSH_PORT=$(free_port 20022 20023 20024)
printf 'Port %s\nListenAddress 127.0.0.1\nHostKey %s\nPidFile none\nUsePAM no\nLogLevel ERROR\nMaxStartups 4000:30:4000\n' \
    "$SSH_PORT" "$LAB/host_key" > "$LAB/sshd_probe.conf"
/usr/sbin/sshd -D -e -f "$LAB/sshd_probe.conf" 2>>"$LAB/sshd.log" & SERVERS+=($!)
HTTP_PORT=$(free_port 8888 8008 8081 8000)
mkdir -p "$LAB/www"; echo ok > "$LAB/www/index.html"
busybox httpd -f -p "127.0.0.1:$HTTP_PORT" -h "$LAB/www" & SERVERS+=($!)
SMTP_PORT=$(free_port 2525 2526 2527)
# A file, not socat's SYSTEM: socat would read "\n" in its address as a line break.
printf '#!/bin/sh\nprintf "220 bench ESMTP Postfix\\r\\n"\nread line\nprintf "221 Bye\\r\\n"\n' > "$LAB/greet"
chmod 755 "$LAB/greet"
socat "TCP-LISTEN:$SMTP_PORT,bind=127.0.0.1,fork,reuseaddr,backlog=1024" EXEC:"$LAB/greet" & SERVERS+=($!)
PORTS="$SSH_PORT $HTTP_PORT $SMTP_PORT"
if [ "$SILENT" = 1 ]; then
    SILENT_PORT=$(free_port 20031 20032 20033)
    socat "TCP-LISTEN:$SILENT_PORT,bind=127.0.0.1,fork,reuseaddr,backlog=1024" SYSTEM:"sleep 30" & SERVERS+=($!)
    PORTS="$PORTS $SILENT_PORT"
fi
sleep 1
# ignore: every port but PORTS.
ranges=$(echo "$PORTS" | tr ' ' '\n' | sort -n | awk 'BEGIN { low = 1 } { if ($1 > low) printf "\"%d-%d\", ", low, $1 - 1; low = $1 + 1 }
    END { printf "\"%d-65535\"", low }')
for learn in false true; do
    printf 'learn: { endpoints: %s }\nignore: { endpoints: [%s] }\n' "$learn" "$ranges" > "$LAB/checks-$learn.yaml"
done
mapfile -t HOSTS < <(sed "s|^|pplab@|; s|$|:$PORT|" "$LAB/addrs")
conn=(-i "$LAB/id_ed25519" --known-hosts "$LAB/known_hosts" --parallel "$PAR" --connect-timeout 300 --command-timeout 600)

echo "N=$N hosts, --parallel $PAR, probed ports per host: $PORTS (ssh, http, greeting${SILENT_PORT:+, silent})"
for round in $(seq "$ROUNDS"); do
    for learn in false true; do
        rm -rf "$LAB/out-$learn"
        /usr/bin/time -f "%e %U %S" -o "$LAB/time" "$PP" snapshot "${conn[@]}" --config "$LAB/checks-$learn.yaml" \
            --skip-pending-updates --out "$LAB/out-$learn" "${HOSTS[@]}" > "$LAB/log" 2>&1 || true
        read -r wall user sys < "$LAB/time"
        files=$(ls "$LAB/out-$learn" 2>/dev/null | wc -l)
        endpoints=$(cat "$LAB/out-$learn"/*.json 2>/dev/null | grep -c '"method"' || true)
        answered=$(cat "$LAB/out-$learn"/*.json 2>/dev/null | grep -c '"answered" : true' || true)
        printf 'round %s learn %-5s  %4s snapshots  %6s s wall  %6.2f s client CPU  %5s endpoints, %5s answered\n' \
            "$round" "$learn" "$files" "$wall" "$(echo "$user + $sys" | bc)" "$endpoints" "$answered"
    done
done
