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

# pp_need PKG... : installs the Debian packages that are not installed yet.
pp_need() {
    local missing=() p
    for p in "$@"; do pp_installed "$p" || missing+=("$p"); done
    ((${#missing[@]})) || return 0
    echo "setup: installing ${missing[*]}" >&2
    pp_as_root apt-get update -qq
    pp_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
PP_BUILD_PACKAGES=(libssh2-1-dev pkg-config libssl-dev)
