# The tools scripts/bench measures, each run on the first N lab hosts ($LAB/addrs), doing the
# same work: the PostPatch collector script's facts. Sourced, not run.
# Needs $LAB, $PP, $PAR, $PORT, $W (work dir of this N), measure (measure.sh).

BENCH_VENV=${BENCH_VENV:-/var/cache/postpatch-bench/venv}
PEER_WHY=()   # "tool: reason" for every peer that cannot run

# peers_install: parallel-ssh, pytest-testinfra and pytest-xdist in a venv; Debian's ansible-core.
# A peer that cannot be installed is recorded in PEER_WHY (printed and written to the report).
peers_install() {
    HAVE_PY=1; HAVE_ANSIBLE=1
    if [ ! -x "$BENCH_VENV/bin/python" ]; then
        mkdir -p "$(dirname "$BENCH_VENV")"
        python3 -m venv "$BENCH_VENV" > "$LAB/venv.log" 2>&1 || { pp_need python3-venv && /usr/bin/python3 -m venv "$BENCH_VENV"; } >> "$LAB/venv.log" 2>&1 || true
    fi
    if ! "$BENCH_VENV/bin/python" -c 'import pssh, testinfra, xdist' 2>/dev/null; then
        "$BENCH_VENV/bin/pip" install -q parallel-ssh pytest pytest-testinfra pytest-xdist > "$LAB/pip.log" 2>&1 || true
    fi
    "$BENCH_VENV/bin/python" -c 'import pssh' 2>/dev/null || { HAVE_PSSH=0; PEER_WHY+=("parallel-ssh: pip install failed: $(tail -1 "$LAB/pip.log" 2>/dev/null)"); }
    "$BENCH_VENV/bin/python" -c 'import testinfra, xdist' 2>/dev/null || { HAVE_TI=0; PEER_WHY+=("testinfra: pip install failed: $(tail -1 "$LAB/pip.log" 2>/dev/null)"); }
    HAVE_PSSH=${HAVE_PSSH:-1}; HAVE_TI=${HAVE_TI:-1}
    pp_need ansible-core > "$LAB/apt.log" 2>&1 || true
    command -v ansible-playbook >/dev/null || { HAVE_ANSIBLE=0; PEER_WHY+=("ansible: apt-get install ansible-core failed: $(tail -1 "$LAB/apt.log")"); }
    local w; for w in "${PEER_WHY[@]}"; do echo "bench: peer skipped: $w" >&2; done
}

# Counters of served hosts, one per tool (called by measure after the run).
ok_exec()     { grep -oE '^exec: [0-9]+ hosts?: [0-9]+ ok' "$LAB/out" | awk '{ print $NF == "ok" ? $(NF-1) : 0 }' | tail -1; }
ok_echo()     { grep -cx OK "$LAB/out" || true; }
ok_snapshot() { find "$W/snap" -name '*.json' -size +0 | wc -l; }
ok_verify()   { python3 -c 'import json, sys; print(sum(1 for h in json.load(open(sys.argv[1]))["hosts"] if h["status"] != "unchecked"))' "$W/verify.json" 2>/dev/null || echo 0; }
ok_marker()   { grep -l -E '^@@PP-[0-9a-f]+ DONE$' "$1"/* 2>/dev/null | wc -l; }
ok_ssh()      { ok_marker "$W/ssh"; }
ok_pssh()     { ok_marker "$W/pssh"; }
ok_testinfra() { grep -qE '[0-9]+ (passed|failed)' "$LAB/out" || { echo 0; return; }; local bad; bad=$(grep -oE '^(FAILED|ERROR) [^ ]*\[ssh://[^]]*\]' "$LAB/out" | sed 's/.*\[//' | sort -u | wc -l); echo $(( N - bad )); }
ok_ansible()  { grep -E '^[^ ]+ +: ok=' "$LAB/out" | grep -c 'unreachable=0 *failed=0' || true; }

run_peers() {
    head -n "$N" "$LAB/addrs" > "$W/addrs"
    sed "s/^/pplab@/; s/\$/:$PORT/" "$W/addrs" > "$W/hosts"
    mapfile -t H < "$W/hosts"
    local conn=(--parallel "$PAR" -i "$LAB/id_ed25519" --known-hosts "$LAB/known_hosts" --connect-timeout 60 --command-timeout 300)

    measure "$N" "postpatch exec -- true" ok_exec "$PP" exec "${conn[@]}" "${H[@]}" -- true
    measure "$N" "ssh via xargs -P $PAR -- echo OK" ok_echo sh -c "xargs -P $PAR -I{} ssh -n $SSH_OPTS {} echo OK < '$W/addrs'"
    mkdir -p "$W/snap" "$W/ssh" "$W/pssh"
    measure "$N" "postpatch snapshot" ok_snapshot "$PP" snapshot "${conn[@]}" --config "$LAB/checks.yaml" --skip-pending-updates --out "$W/snap" "${H[@]}"
    measure "$N" "postpatch verify" ok_verify "$PP" verify "${conn[@]}" --config "$LAB/checks.yaml" --skip-pending-updates --baselines "$W/snap" --json "$W/verify.json" "${H[@]}"
    # The script goes in on stdin through the launcher PostPatch itself uses
    # (CollectorScript.launcher: `sh -s` would read it one byte per system call).
    cat > "$LAB/ssh_one" <<ONE
#!/bin/sh
exec ssh $SSH_OPTS "\$1" "exec /bin/sh -c 'eval \\"\\\$(cat)\\"'" < "$LAB/script" > "$W/ssh/\$1"
ONE
    chmod +x "$LAB/ssh_one"
    measure "$N" "ssh via xargs -P $PAR (script)" ok_ssh sh -c "xargs -P $PAR -n 1 '$LAB/ssh_one' < '$W/addrs'"
    if [ "$HAVE_PSSH" = 1 ]; then
        measure "$N" "parallel-ssh (pool $PAR)" ok_pssh "$BENCH_VENV/bin/python" scripts/bench.d/pssh_run.py "$W/addrs" "$PORT" pplab "$LAB/id_ed25519" "$LAB/script" "$W/pssh" "$PAR"
    fi
    if [ "$HAVE_TI" = 1 ]; then
        local list; list=$(sed "s|^|ssh://|" "$W/hosts" | paste -sd,)
        measure "$N" "testinfra (xdist -n $TI_WORKERS)" ok_testinfra env BENCH_TCP_HOST="$TCP_HOST" BENCH_TCP_PORT="$PORT" \
            "$BENCH_VENV/bin/python" -m pytest -q -rfE -p no:cacheprovider -n "$TI_WORKERS" --ssh-config="$LAB/ssh_config" \
            --hosts="$list" scripts/bench.d/test_facts.py
    fi
    if [ "$HAVE_ANSIBLE" = 1 ]; then
        awk -v p="$PORT" '{ printf "h%d ansible_host=%s ansible_port=%s\n", NR, $1, p }' "$W/addrs" > "$W/inventory"
        measure "$N" "ansible (forks $PAR)" ok_ansible env ANSIBLE_CONFIG="$LAB/ansible.cfg" \
            ansible-playbook -i "$W/inventory" -e "bench_dns_name=localhost bench_tcp_host=$TCP_HOST bench_tcp_port=$PORT" scripts/bench.d/facts.yml
    fi
}

# peers_config: the files the peers read (checks for PostPatch, ssh_config, ansible.cfg, the script).
peers_config() {
    TCP_HOST=$(lab_addr 0)
    SSH_OPTS="-o BatchMode=yes -o UserKnownHostsFile=$LAB/known_hosts -o GlobalKnownHostsFile=/dev/null -i $LAB/id_ed25519 -o IdentitiesOnly=yes -l pplab -p $PORT"
    # No learned endpoint probes: the peers do nothing alike, and every lab host being this
    # machine, each would probe all the others' sshds (scripts/bench.d/endpoints.sh measures them).
    cat > "$LAB/checks.yaml" <<CFG
learn: { endpoints: false }
checks:
  dns: [ { name: localhost } ]
  connectivity: [ { target: $TCP_HOST, port: $PORT, timeout: 5 } ]
CFG
    cat > "$LAB/ssh_config" <<CFG
Host *
  User pplab
  IdentityFile $LAB/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $LAB/known_hosts
  GlobalKnownHostsFile /dev/null
  BatchMode yes
CFG
    cat > "$LAB/ansible.cfg" <<CFG
[defaults]
forks = $PAR
host_key_checking = True
remote_user = pplab
private_key_file = $LAB/id_ed25519
interpreter_python = /usr/bin/python3
gathering = explicit
timeout = 60
[ssh_connection]
ssh_args = -F $LAB/ssh_config -o ControlMaster=auto -o ControlPersist=60s
control_path_dir = $LAB/cp
pipelining = True
CFG
    "$PP" script --config "$LAB/checks.yaml" --host "pplab@$TCP_HOST:$PORT" --skip-pending-updates > "$LAB/script"
}
