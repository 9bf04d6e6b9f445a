#!/bin/sh
# Inside `unshare -m --propagation private`: runs the collector script (stdin) as if this machine
# were an RPM host, against the scratch root build-repo.sh made, nothing seen outside the namespace.
# dnf: apt-get hidden, dnf a wrapper pointing at the scratch root and its repositories.
# zypper: apt-get and dnf hidden, zypper a wrapper with --root, the scratch root's repository
# files and caches bound over /etc/zypp/repos.d and /var/cache/zypp (what the script reads), and
# one more repository, remote and never cached (http://127.0.0.1:9, nothing listens).
set -eu
MODE=${1:?dnf, zypper, rpm or rpm-dnf}
W=${PP_RPM_ADVISORIES_DIR:-/tmp/pp-rpm-advisories}
: >"$W/absent"
cp -f "$(readlink -f /usr/bin/dnf)" "$W/dnf.real"
cp -f /usr/bin/zypper "$W/zypper.real"
printf '#!/bin/sh\nexec /usr/bin/python3 %s/dnf.real -c %s/dnf.conf --releasever=12 --setopt=reposdir=%s/repos.d --installroot=%s/root "$@"\n' "$W" "$W" "$W" "$W" >"$W/dnf-wrapper"
printf '#!/bin/sh\nexec %s/zypper.real --root %s/root "$@"\n' "$W" "$W" >"$W/zypper-wrapper"
chmod 755 "$W/dnf-wrapper" "$W/zypper-wrapper"
mount --bind "$W/absent" /usr/bin/apt-get
case $MODE in
dnf) mount --bind "$W/dnf-wrapper" "$(readlink -f /usr/bin/dnf)" ;;
rpm|rpm-dnf)
    # The transactions section's rpm branch: no dpkg log (an empty /var/log), rpm reading the scratch root.
    # rpm: dnf hidden (what an RPM host without dnf or yum reads); rpm-dnf: dnf on the scratch root too.
    # Named rpm: popt reads its aliases (--changelog among them) by the program's name.
    mkdir -p "$W/rpm-real"; cp -f /usr/bin/rpm "$W/rpm-real/rpm"
    printf '#!/bin/sh\nexec %s/rpm-real/rpm --root %s/root "$@"\n' "$W" "$W" >"$W/rpm-wrapper"
    chmod 755 "$W/rpm-wrapper"
    mount -t tmpfs tmpfs /var/log
    mount --bind "$W/rpm-wrapper" /usr/bin/rpm
    if [ "$MODE" = rpm-dnf ]; then mount --bind "$W/dnf-wrapper" "$(readlink -f /usr/bin/dnf)"
    else mount --bind "$W/absent" "$(readlink -f /usr/bin/dnf)"; fi ;;
zypper|zypper-uncached)
    mount --bind "$W/absent" "$(readlink -f /usr/bin/dnf)"
    "$W/zypper.real" --root "$W/root" --non-interactive addrepo -G http://127.0.0.1:9/repo pp-remote >/dev/null 2>&1 || true
    mount --bind "$W/zypper-wrapper" /usr/bin/zypper
    # zypper-uncached: only the remote repository, never cached, is enabled.
    if [ "$MODE" = zypper-uncached ]; then
        for f in "$W"/root/etc/zypp/repos.d/pp-base.repo "$W"/root/etc/zypp/repos.d/pp-updates.repo; do
            sed -i 's/^enabled=1/enabled=0/' "$f"
        done
    fi
    mount --bind "$W/root/etc/zypp/repos.d" /etc/zypp/repos.d
    mkdir -p "$W/root/var/cache/zypp"
    mount --bind "$W/root/var/cache/zypp" /var/cache/zypp ;;
esac
exec dash -s
