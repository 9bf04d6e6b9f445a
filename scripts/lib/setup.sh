# Shared set-up for scripts/test, scripts/demo and scripts/test-bare: Debian packages
# (idempotent), the lab users, the Debian mirror. Sourced, not run.

# pp_as_root CMD... : runs CMD as root: directly when root, else through sudo. Without sudo it
# stops with a line saying so, instead of a bare "sudo: command not found" halfway through.
pp_as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; return; fi
    command -v sudo >/dev/null || {
        echo "${0##*/}: not root and sudo is not installed: run it as root (su -c '$0'), or install sudo" >&2
        exit 1
    }
    sudo "$@"
}

# pp_installed PKG : whether the Debian package PKG is installed.
pp_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# The locks apt and dpkg take (fcntl locks, not flock(2): apt ignores a flock(1) holder):
# dpkg's front end and database, apt's package lists (apt-get update) and its download folder.
PP_APT_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)
# pp_apt_get's status when another package manager still held a lock after PP_APT_LOCK_TIMEOUT
# (EX_TEMPFAIL: try again later); apt-get's own failures are 100.
PP_EXIT_APT_LOCKED=75

# pp_apt_lock_holder : "PID LOCK COMMAND" of a process holding one of PP_APT_LOCKS, nothing when
# none is held. Read from /proc/locks, which names a file MAJOR:MINOR:INODE (device numbers in hex).
pp_apt_lock_holder() {
    local lock dev ino key pid comm
    for lock in "${PP_APT_LOCKS[@]}"; do
        read -r dev ino < <(stat -c '%d %i' "$lock" 2>/dev/null) || continue
        key=$(printf '%02x:%02x:%s' $(( ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff) )) \
            $(( (dev & 0xff) | ((dev >> 12) & ~0xff) )) "$ino")
        pid=$(awk -v key="$key" '($2 == "POSIX" || $2 == "OFDLCK") && $6 == key { print $5; exit }' /proc/locks)
        [ -n "$pid" ] || continue
        comm=$(cat "/proc/$pid/comm" 2>/dev/null) || comm="command unknown"
        echo "$pid $lock $comm"
        return
    done
}

# pp_apt_get ARGS... : apt-get ARGS as root, non-interactive, once no other package manager holds
# apt's or dpkg's locks: a fresh cloud machine runs unattended-upgrades or cloud-init's package
# step in its first minutes, and apt-get alone fails at once (exit 100). Says so in one line when
# it waits; after PP_APT_LOCK_TIMEOUT seconds (default 600) names the holder and returns
# PP_EXIT_APT_LOCKED.
pp_apt_get() {
    local limit=${PP_APT_LOCK_TIMEOUT:-600} waited=0 told='' pid lock comm status started
    if ! [[ $limit =~ ^[0-9]{1,5}$ ]] || ((10#$limit > 86400)); then
        echo "setup: PP_APT_LOCK_TIMEOUT is \"$limit\": give the seconds to wait for another package manager, 0 to 86400" >&2
        return 2
    fi
    limit=$((10#$limit))
    while :; do
        if read -r pid lock comm < <(pp_apt_lock_holder); then
            if ((waited >= limit)); then
                echo "setup: gave up after $waited s: another package manager (PID $pid, $comm) still holds $lock; let it finish and run this again (PP_APT_LOCK_TIMEOUT=SECONDS waits longer), or stop it (kill $pid, then dpkg --configure -a)" >&2
                return "$PP_EXIT_APT_LOCKED"
            fi
            [ -n "$told" ] || echo "setup: waiting for another package manager (PID $pid, $comm) to finish" >&2
            told=1
            sleep 1
            waited=$((waited + 1))
            continue
        fi
        # DPkg::Lock::Timeout: apt waits for dpkg's locks itself when a holder takes them
        # between the check above and apt's start. DEBCONF_NOWARNINGS: no "delaying package
        # configuration, since apt-utils is not installed" on every install.
        status=0 started=$SECONDS
        pp_as_root env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes \
            apt-get -o "DPkg::Lock::Timeout=$((waited < limit ? limit - waited : 0))" "$@" || status=$?
        # apt 2.6's `apt-get update` ignores DPkg::Lock::Timeout and fails at once on a held lists
        # lock (tried: exit 100, "Could not get lock /var/lib/apt/lists/lock"): wait as above.
        ((status != 0)) && [ -n "$(pp_apt_lock_holder)" ] || return "$status"
        waited=$((waited + SECONDS - started))
    done
}

# pp_need PKG... : installs the Debian packages that are not installed yet.
pp_need() {
    local missing=() p
    for p in "$@"; do pp_installed "$p" || missing+=("$p"); done
    ((${#missing[@]})) || return 0
    echo "setup: installing ${missing[*]}" >&2
    pp_apt_get update -qq
    pp_apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# pp_lab_user: the unprivileged lab login user pplab (shell /bin/sh, password "*": key logins
# only, not "locked", which sshd without PAM would refuse). Where the sudo package is installed
# (scripts/test installs it; the demo needs no sudo), also pplab-sudo with passwordless sudo:
# without sudo there is no /etc/sudoers.d to write to, and no use for that user.
pp_lab_user() {
    id pplab >/dev/null 2>&1 || pp_as_root useradd -m -s /bin/sh pplab
    pp_as_root usermod -p '*' pplab
    pp_as_root mkdir -p /run/sshd
    pp_installed sudo || return 0
    id pplab-sudo >/dev/null 2>&1 || pp_as_root useradd -m -s /bin/sh pplab-sudo
    pp_as_root usermod -p '*' pplab-sudo
    echo 'pplab-sudo ALL=(ALL) NOPASSWD: ALL' | pp_as_root tee /etc/sudoers.d/postpatch-lab >/dev/null
    pp_as_root chmod 0440 /etc/sudoers.d/postpatch-lab
}

# pp_debian_mirror SUITE : the first URI apt uses for SUITE's main archive (deb822 .sources,
# then one-line .list), for debootstrap to fetch from the mirror this machine already reaches.
pp_debian_mirror() {
    local suite=$1 f
    {
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] || continue
            awk -v suite="$suite" '
                /^[[:space:]]*$/ { if (uri != "" && ok) { print uri; exit } uri=""; ok=0; next }
                tolower($1) == "uris:" { uri=$2 }
                tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) ok=1 }
                END { if (uri != "" && ok) print uri }' "$f" | head -n1
        done
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            sed -E 's/\[[^]]*\]//' "$f" | awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2; exit }'
        done
    } | head -n1
}

# The packages PostPatch itself needs to build.
# shellcheck disable=SC2034  # read by the scripts that source this file
PP_BUILD_PACKAGES=(libssh2-1-dev pkg-config libssl-dev)
