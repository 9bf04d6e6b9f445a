#!/bin/sh
# The rollback preflight against a scratch dnf installroot (never this machine's /): version 1
# of three packages installed, version 2 in an updates repository; ppd's version 1 stays in the
# base repository, ppgone's was installed from a repository since gone, ppcached's too but its
# rpm is kept in dnf's package cache. Captures `dnf -C check-update` and the preflight step's
# output (`dnf -C --showduplicates list` of the pending packages, then the cached rpms as
# `archive FILE` lines, as the collector prints them).
# Debian bookworm: apt-get install dnf rpm createrepo-c. Run: sh build-rpm-root.sh OUTDIR
set -eu
OUT=${1:?output dir}
W=/tmp/pp-rollback-preflight-rpm
rm -rf "$W"; mkdir -p "$W/specs" "$W/base" "$W/gone" "$W/updates" "$W/root" "$W/cache" "$W/repos.d"
build() { # name version dir
    cat > "$W/specs/$1-$2.spec" <<SPEC
Name: $1
Version: $2
Release: 1
Summary: PostPatch rollback fixture $1
License: MIT
BuildArch: noarch
%description
Fixture package $1 $2.
%install
mkdir -p %{buildroot}/usr/share/$1
echo $2 > %{buildroot}/usr/share/$1/version
%files
/usr/share/$1/version
SPEC
    rpmbuild --quiet --define "_topdir $W/rpmbuild" --define "_rpmdir $3" --define "_build_id_links none" \
        -bb "$W/specs/$1-$2.spec" >/dev/null 2>&1
}
build ppd 1.0 "$W/base"; build ppgone 1.0 "$W/gone"; build ppcached 1.0 "$W/gone"
for p in ppd ppgone ppcached; do build $p 1.1 "$W/updates"; done
for r in base gone updates; do createrepo_c -q "$W/$r"; done
cat > "$W/dnf.conf" <<CONF
[main]
cachedir=$W/cache
reposdir=$W/repos.d
installroot=$W/root
gpgcheck=0
keepcache=1
CONF
for r in base gone updates; do printf '[pp-%s]\nname=pp %s\nbaseurl=file://%s/%s\ngpgcheck=0\n' "$r" "$r" "$W" "$r"; done > "$W/repos.d/pp.repo"
D="dnf -c $W/dnf.conf --releasever=12 --setopt=reposdir=$W/repos.d --installroot=$W/root"
# Version 1 of every package, without the updates repository.
$D -q -y --disablerepo=pp-updates install ppd ppgone ppcached >/dev/null
# The gone repository leaves the configuration, and its cached rpms go but ppcached's.
for r in base updates; do printf '[pp-%s]\nname=pp %s\nbaseurl=file://%s/%s\ngpgcheck=0\n' "$r" "$r" "$W" "$r"; done > "$W/repos.d/pp.repo"
$D -q makecache >/dev/null
# dnf reads a file: repository in place and keeps no copy: ppcached's rpm is put where dnf
# keeps the packages of a remote repository (keepcache=1).
mkdir -p "$W/cache/pp-gone-5a1c0d3e9f2b7a41/packages"
cp "$W/gone/noarch/ppcached-1.0-1.noarch.rpm" "$W/cache/pp-gone-5a1c0d3e9f2b7a41/packages/"
mkdir -p "$OUT"
{ LC_ALL=C $D -q -C check-update; echo "exit=$?"; } > "$OUT/dnf4-check-update.out" 2>&1 || true
{
    LC_ALL=C $D -q -C --showduplicates list ppd.noarch ppgone.noarch ppcached.noarch
    for n in ppd.noarch ppgone.noarch ppcached.noarch; do
        for f in "$W"/cache/*/packages/"${n%.*}"-*.rpm; do [ -e "$f" ] && printf 'archive %s\n' "${f##*/}"; done; true
    done
} >"$OUT/dnf4-preflight.out" 2>&1
