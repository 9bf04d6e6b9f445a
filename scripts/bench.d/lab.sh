# Loopback lab for scripts/bench: N simulated hosts, each a distinct 127.0.x.y address on port
# $PORT, served by sshd processes of at most 16 ListenAddress each (sshd's limit), all logging in
# as pplab (made by pp_lab_user) with one client key. Sourced, not run. Needs $LAB (a private dir).

PORT=${PORT:-2222}
LAB_PIDS=()

# lab_addr I: address of host I (0-based): 127.0.2.1 .. 127.0.2.254, then 127.0.3.1 .., never
# leaving 127.0.0.0/8 (I < 1000 keeps it under 127.0.6.x).
lab_addr() { echo "127.0.$((2 + $1 / 254)).$((1 + $1 % 254))"; }

# lab_start N: keys, known_hosts, $LAB/addrs (one address per line), and the sshd processes.
lab_start() {
    local n=$1 i=0 s=0 a cfg p
    [ "$n" -ge 1 ] && [ "$n" -le 1000 ] || { echo "bench: N must be 1..1000, got $n" >&2; exit 2; }
    [ -f "$LAB/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$LAB/host_key"
    [ -f "$LAB/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$LAB/id_ed25519"
    cp "$LAB/id_ed25519.pub" "$LAB/authorized_keys"; chmod 644 "$LAB/authorized_keys"
    local hostkey; hostkey=$(cut -d' ' -f1,2 "$LAB/host_key.pub")
    : > "$LAB/known_hosts"; : > "$LAB/addrs"
    while [ "$i" -lt "$n" ]; do
        cfg="$LAB/sshd_$s.conf"
        { echo "Port $PORT"
          for _ in $(seq 0 15); do
              [ "$i" -lt "$n" ] || break
              a=$(lab_addr "$i")
              echo "ListenAddress $a"
              echo "[$a]:$PORT $hostkey" >> "$LAB/known_hosts"
              echo "$a" >> "$LAB/addrs"
              i=$((i + 1))
          done
          # MaxStartups/PerSourceMaxStartups: every client comes from 127.0.0.1 and opens up to
          # N logins at once; MaxSessions: Ansible/testinfra multiplex sessions on one connection.
          cat <<CFG
HostKey $LAB/host_key
PidFile none
AuthorizedKeysFile $LAB/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowUsers pplab
MaxStartups 4000:30:4000
PerSourceMaxStartups none
MaxSessions 1000
LoginGraceTime 600
LogLevel ERROR
CFG
        } > "$cfg"
        /usr/sbin/sshd -D -e -f "$cfg" 2>>"$LAB/sshd.log" &
        LAB_PIDS+=($!)
        s=$((s + 1))
    done
    sleep 1
    for p in "${LAB_PIDS[@]}"; do
        kill -0 "$p" 2>/dev/null || { echo "bench: an sshd of the lab exited: $(tail -1 "$LAB/sshd.log"); is another bench using port $PORT? Set PORT=... to another port" >&2; exit 1; }
    done
    LAB_SSHD=$s
}

lab_stop() {
    local p
    for p in "${LAB_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    LAB_PIDS=()
}
