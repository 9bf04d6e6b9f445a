# profile for scripts/bench --profile: where `postpatch snapshot`'s client CPU goes, by
# `perf record` (Debian's linux-perf) on the bench lab. Sourced, not run. Needs $LAB, $PP, $PAR,
# $PORT and a running lab (lab_start, peers_config).
# cpu-clock sampling, not hardware counters: many VMs have none (`perf stat -e instructions true`).

# profile_snapshot N: perf record of `postpatch snapshot` of the first N lab hosts, then the
# top symbols by self time and the same samples folded into the client's parts
# (profile_parts), printed and written to $LAB/profile.
profile_snapshot() {
    local n=$1
    mapfile -t H < <(sed "s/^/pplab@/; s/\$/:$PORT/" "$LAB/addrs" | head -n "$n")
    mkdir -p "$LAB/profile-snap"
    perf record -q -F 999 -e cpu-clock --call-graph dwarf,32768 -o "$LAB/perf.data" -- "$PP" snapshot --parallel "$PAR" -i "$LAB/id_ed25519" \
        --known-hosts "$LAB/known_hosts" --connect-timeout 60 --command-timeout 300 --config "$LAB/checks.yaml" \
        --skip-pending-updates --out "$LAB/profile-snap" "${H[@]}" > "$LAB/profile-out" 2>&1 || true
    perf report -q -i "$LAB/perf.data" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.5 2>/dev/null \
        | sed -E 's/^ +//' | grep -v '^$' | head -40 > "$LAB/profile-top"
    perf script -i "$LAB/perf.data" -F comm,ip,sym 2>/dev/null | profile_parts > "$LAB/profile"
    [ -z "${PROFILE_KEEP:-}" ] || cp "$LAB/perf.data" "$PROFILE_KEEP"
    echo "profile of postpatch snapshot, N=$n: samples by part (a sample counts for the first part its stack names, leaf first):"
    cat "$LAB/profile"
    echo "top symbols (self):"
    sed 's/^/  /' "$LAB/profile-top"
}

# profile_parts: folds `perf script -F comm,ip,sym` stacks (one sample: a comm line, then one
# tab-indented frame a line, address and symbol, leaf first; a blank line) into the client's
# parts, by the first frame that names one.
profile_parts() {
    awk '
    function part(f) {
        if (f ~ /_libssh2_|libssh2_|EVP_|ossl_|curve25519|x25519|ed25519|sha512|sha256_block|aesni|gcm_|chacha|poly1305|BN_|bn_/) return "ssh: crypto and protocol (libssh2, OpenSSL)"
        if (f ~ /Poller|ChannelQueue|ExecOperation|SSHSession|Connection|ChannelOp/) return "ssh: channel reads, poller"
        if (f ~ /ScriptOutput|ByteSearch|FastSplit/) return "marker scan (ScriptOutput)"
        if (f ~ /SocketsSection|SSParser|ProcNetParser|NetstatParser|SocketAddress/) return "parse: sockets"
        if (f ~ /ServicesSection|SystemdUnitsParser|InitScriptsParser/) return "parse: services"
        if (f ~ /PackagesSection|DpkgParser|RpmParser|ApkParser/) return "parse: packages"
        if (f ~ /OutdatedSection|OutdatedParser/) return "parse: outdated"
        if (f ~ /MountsSection|MountsParser/) return "parse: mounts"
        if (f ~ /NetworkSection|NetworkParser/) return "parse: network"
        if (f ~ /FirewallSection|FirewallParser/) return "parse: firewall"
        if (f ~ /ContainersSection|ContainersParser/) return "parse: containers"
        if (f ~ /LogsSection|LogsParser/) return "parse: logs"
        if (f ~ /SystemSection|OSReleaseParser|RebootRequiredParser|KeyValueLines/) return "parse: system"
        if (f ~ /UpdatesSection|AptSimulationParser|DnfUpdatesParser/) return "parse: updates"
        if (f ~ /DNSSection|ConnectivitySection|CommandsSection|HTTPChecks|DigParser|CommandsParser/) return "parse: declared checks"
        if (f ~ /CaptureGaps|SnapshotParser|SectionCollector/) return "parse: framing (gaps, notes)"
        if (f ~ /canonicalize|sortByKey|isSortedByKey/) return "canonical order"
        if (f ~ /JSONEncoder|SnapshotCoding|PrettyJSON|JSONContainer|JSONText|JSONKeyed|JSONUnkeyed|JSONSingle|JSONMember|encode|Encod/) return "JSON encoding"
        if (f ~ /CollectorScript|ScriptFraming|render/) return "script rendering"
        if (f ~ /AtomicFile|WriteTarget|SnapshotWriter|write/) return "file writes"
        if (f ~ /ProgressLine/) return "progress line"
        if (f ~ /swift_task_|swift_job|_dispatch|dispatch_|swift_continuation|Executor/) return "task hops and executors"
        if (f ~ /pthread_mutex|futex|os_unfair|Lock|lock/) return "locks"
        if (f ~ /malloc|free|swift_allocObject|swift_release|swift_retain|swift_bridgeObject|swift_arrayInit|_int_malloc|_int_free|memmove|memcpy/) return ""
        return ""
    }
    /^\t/ { sub(/^\t *[0-9a-f]+ /, ""); if (name == "") { p = part($0); if (p != "") name = p } next }
    /^$/ { if (n) flush(); n = 0; next }
    { if (n) flush(); n = 1; name = "" }
    function flush() { total++; k = name == "" ? "other (allocation, runtime, kernel, unattributed)" : name; count[k]++ ; n = 0 }
    END { if (n) flush(); for (k in count) printf "%6.1f %%  %s\n", 100 * count[k] / total, k | "sort -rn"; close("sort -rn"); printf "%6d samples\n", total }'
}

# client_cost N...: for each N, postpatch snapshot, postpatch verify (against those snapshots)
# and parallel-ssh (the same script) on the same lab hosts, one after the other, client CPU per
# host; then the profile of snapshot at the largest N in ms per host by part (each section's
# parser its own row, so the next section's cost shows). Writes $LAB/client-section.
client_cost() {
    local n max=0 rows=()
    for n in "$@"; do [ "$n" -gt "$max" ] && max=$n; done
    for n in "$@"; do
        N=$n; W="$LAB/c$n"; mkdir -p "$W/snap" "$W/pssh"; : > "$RESULTS"
        head -n "$n" "$LAB/addrs" > "$W/addrs"
        mapfile -t H < <(sed "s/^/pplab@/; s/\$/:$PORT/" "$W/addrs")
        local conn=(--parallel "$PAR" -i "$LAB/id_ed25519" --known-hosts "$LAB/known_hosts" --connect-timeout 60 --command-timeout 300)
        echo "N = $n:"
        measure "$n" "postpatch snapshot" ok_snapshot "$PP" snapshot "${conn[@]}" --config "$LAB/checks.yaml" --skip-pending-updates --out "$W/snap" "${H[@]}"
        measure "$n" "postpatch verify" ok_verify "$PP" verify "${conn[@]}" --config "$LAB/checks.yaml" --skip-pending-updates --baselines "$W/snap" --json "$W/verify.json" "${H[@]}"
        if [ "$HAVE_PSSH" = 1 ]; then
            measure "$n" "parallel-ssh (pool $PAR)" ok_pssh "$BENCH_VENV/bin/python" scripts/bench.d/pssh_run.py "$W/addrs" "$PORT" pplab "$LAB/id_ed25519" "$LAB/script" "$W/pssh" "$PAR"
        fi
        while IFS=$'\t' read -r rn label ok wall cpu rss tree note; do
            rows+=("| $rn | $label | $ok/$rn | $wall | $cpu | $(echo "scale=1; 1000 * $cpu / $rn" | bc) | $rss | ${note} |")
        done < "$RESULTS"
    done
    profile_snapshot "$max" > "$LAB/profile-print"
    local cpu_per_host; cpu_per_host=$(printf '%s\n' "${rows[@]}" | awk -F' [|] ' -v n="$max" '$1 == "| " n && $2 == "postpatch snapshot" { print $6 }')
    {
        echo "| N | tool | hosts ok | wall s | client CPU s | client CPU ms/host | peak RSS MB | note |"
        echo "|---|---|---|---|---|---|---|---|"
        printf '%s\n' "${rows[@]}"
        echo
        echo "Where \`postpatch snapshot\`'s client CPU goes at N = $max (perf record, cpu-clock samples with DWARF call stacks; a sample counts for the first part its stack names, leaf first; ms/host = share × the snapshot row's CPU per host):"
        echo
        echo "| part | share | ms/host |"
        echo "|---|---:|---:|"
        awk -v per="${cpu_per_host:-0}" '/%  / { pct = $1; sub(/^ *[0-9.]+ %  /, ""); printf "| %s | %s %% | %.2f |\n", $0, pct, per * pct / 100 }' "$LAB/profile"
    } > "$LAB/client-section"
    cat "$LAB/client-section"
}
