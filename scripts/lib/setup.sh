# Shared set-up for scripts/test and scripts/demo: Debian packages (idempotent), the lab user.
# Sourced, not run.

# pp_need PKG... : installs the Debian packages that are not installed yet.
pp_need() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    echo "setup: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# pp_lab_user: the unprivileged lab login user (shell /bin/sh, password "*": key logins only,
# not "locked", which sshd without PAM would refuse), and a second one with passwordless sudo.
pp_lab_user() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    id pplab >/dev/null 2>&1 || $sudo useradd -m -s /bin/sh pplab
    $sudo usermod -p '*' pplab
    id pplab-sudo >/dev/null 2>&1 || $sudo useradd -m -s /bin/sh pplab-sudo
    $sudo usermod -p '*' pplab-sudo
    echo 'pplab-sudo ALL=(ALL) NOPASSWD: ALL' | $sudo tee /etc/sudoers.d/postpatch-lab >/dev/null
    $sudo chmod 0440 /etc/sudoers.d/postpatch-lab
    $sudo mkdir -p /run/sshd
}

# The packages PostPatch itself needs to build.
PP_BUILD_PACKAGES=(libssh2-1-dev pkg-config libssl-dev)
