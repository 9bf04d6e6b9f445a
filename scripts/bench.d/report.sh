# report for scripts/bench: docs/bench.md from $RESULTS (TSV: N, tool, hosts ok, wall, cpu,
# max-process RSS MB, tree RSS MB, note). Ratios are to `postpatch snapshot` of the same N
# (`-- true` rows to `postpatch exec -- true`). Sourced, not run.

machine_line() {
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem:/ { print $2 }') GiB memory, kernel $(uname -r)"
    echo "- OpenSSH: $(ssh -V 2>&1); libssh2 (Debian, PostPatch): $(dpkg-query -W -f '${Version}' libssh2-1 2>/dev/null)"
    [ -x "$BENCH_VENV/bin/python" ] && echo "- Python peers: $("$BENCH_VENV/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ["parallel-ssh", "ssh2-python", "pytest-testinfra", "pytest-xdist"]))' 2>/dev/null) (libssh2 bundled in ssh2-python)"
    command -v ansible-playbook >/dev/null && echo "- Ansible: $(dpkg-query -W -f 'ansible-core ${Version}' ansible-core)"
}

results_table() {
    echo "| N | tool | hosts ok | wall s | client CPU s | peak RSS, largest process MB | peak RSS, whole tree MB | wall × PostPatch | CPU × PostPatch | note |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' '
        $2 == "postpatch snapshot" { pw[$1] = $4; pc[$1] = $5 }
        $2 == "postpatch exec -- true" { tw[$1] = $4; tc[$1] = $5 }
        { row[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                split(row[i], f, "\t")
                bw = (f[2] ~ /-- (true|echo)/) ? tw[f[1]] : pw[f[1]]
                bc = (f[2] ~ /-- (true|echo)/) ? tc[f[1]] : pc[f[1]]
                rw = (bw > 0 && f[4] != "NA") ? sprintf("%.2f", f[4] / bw) : "-"
                rc = (bc > 0) ? sprintf("%.2f", f[5] / bc) : "-"
                printf "| %s | %s | %s/%s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[1], f[4], f[5], f[6], f[7], rw, rc, f[8]
            }
        }' "$RESULTS"
}

# replace_section FILE TITLE BODYFILE: drops the section "## TITLE" of FILE (up to the next
# "## " heading) and appends "## TITLE" with BODYFILE's text at the end.
replace_section() {
    local file=$1 title=$2 body=$3
    awk -v t="## $title" '$0 == t { skip = 1; next } skip && /^## / { skip = 0 } !skip' "$file" > "$file.new"
    { cat "$file.new"; echo "## $title"; echo; cat "$body"; } > "$file"
    rm -f "$file.new"
}

# write_report FILE: the whole document; the sections written by `--scaling`, `--memory` and
# `--remote-cost` are kept.
REMOTE_COST_LINES=()
write_report() {
    local file=$1 keep=""
    [ -f "$file" ] && keep=$(awk '/^## / { on = ($0 ~ /^## (Scaling|Memory run|Remote cost by step|Client cost|Client profile and cuts \(issue 26\))$/) } on' "$file")
    {
        cat <<DOC
# Benchmark: PostPatch against the tools users would pick instead

Measured by \`scripts/bench ${NS[*]}\` (parallelism PAR=$PAR, testinfra with $TI_WORKERS xdist workers)
on $(date -u '+%Y-%m-%d %H:%M UTC'). Figures, not assertions: one run, on a shared machine.

$(machine_line)

## What runs

Every tool runs in the same lab, on the same N hosts: N loopback addresses (127.0.2.x, 127.0.3.x,
port $PORT) served by $LAB_SSHD sshd processes, login \`pplab\`, one Ed25519 key, host keys checked
against one known_hosts (except parallel-ssh, whose libssh2 client checks none by default). The
hosts are this machine: the remote side's CPU is on the same 2 cores as the client's, so wall
times include the server work; the CPU column is the client's alone.

- **postpatch snapshot**: \`snapshot --skip-pending-updates --out DIR\` with a config whose checks
  are one DNS name (\`localhost\`) and one TCP target ($TCP_HOST:$PORT); **postpatch verify**: the
  same capture compared against those baselines (\`--baselines DIR\`).
- **ssh via xargs -P**: the floor. OpenSSH's client, one process per host, \`ssh host LAUNCHER < script\`,
  LAUNCHER being PostPatch's own \`exec /bin/sh -c 'eval "\$(cat)"'\`,
  where script is exactly \`postpatch script --skip-pending-updates\` for that config, one output
  file per host. "hosts ok" counts files ending with the script's DONE marker.
- **parallel-ssh**: \`ParallelSSHClient(pool_size=PAR)\`, the same script as the exec command
  (sshd runs it as \`sh -c SCRIPT\`), one output file per host (scripts/bench.d/pssh_run.py).
- **testinfra**: scripts/bench.d/test_facts.py, 5 tests per host (service list, listening
  sockets, packages, DNS name, TCP target) over the ssh backend (OpenSSH with its default
  ControlPersist), \`-n $TI_WORKERS\` = min(PAR, 2 × cores) xdist workers: more workers than
  cores only adds Python processes competing for the 2 cores.
- **ansible**: scripts/bench.d/facts.yml with \`-f $PAR\` forks, pipelining on: \`setup\`,
  \`service_facts\`, \`package_facts\`, \`ss -tuln\`, \`getent ahosts\` and \`wait_for\` the TCP target.
- The \`-- true\` rows time logins alone: \`postpatch exec -- true\` against \`ssh host echo OK\` (the echo counts
  the hosts served).

Columns: wall time of the whole run; client CPU = user + sys of the client's process tree
(/usr/bin/time, children included); peak RSS of the largest single client process (/usr/bin/time
%M) and of the whole client tree summed (sampled every 0.1 s, so a run shorter than that may show less; pages
shared between forked processes count once per process: xargs' and Ansible's many processes add up). Ratios divide by \`postpatch snapshot\` of the same N (the \`-- true\` rows by
\`postpatch exec -- true\`): above 1 means slower / more CPU than PostPatch.

Not the same finished product: ssh and parallel-ssh only bring each host's raw output back
(one file per host), PostPatch also parses it into a snapshot (JSON per host) and, for verify,
diffs it and writes a report; testinfra asserts and Ansible parses into facts. A tool that ran
out of time (per-tool timeout, note column) is reported with the hosts it had served by then.

## Results

$(results_table)
DOC
        if ((${#PEER_WHY[@]})); then echo; echo "Peers not measured:"; for w in "${PEER_WHY[@]}"; do echo "- $w"; done; fi
        if ((${#REMOTE_COST_LINES[@]})); then
            echo; echo "## Remote cost of one capture"; echo
            echo "CPU time (user + sys of everything it starts) the collector script takes on a host, the mean of 20 runs of \`postpatch script --skip-pending-updates\` for this config:"
            echo; printf '%s\n' "${REMOTE_COST_LINES[@]}"
        fi
        [ -n "$keep" ] && { echo; echo "$keep"; }
    } > "$file"
    echo "bench: wrote $file"
}
