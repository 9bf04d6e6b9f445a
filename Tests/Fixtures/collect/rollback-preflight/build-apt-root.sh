#!/bin/sh
# The rollback preflight against a scratch APT root (never this machine's /etc/apt or dpkg
# status): three packages "installed" at their old version (a dpkg status file), their new
# version in a local archive; ppd's old version is still in the archive, ppgone's is not,
# ppcached's (with an epoch) is not either but its .deb is in the apt cache. Captures
# `apt-get -s dist-upgrade` and the preflight step's output (apt-cache policy of the upgraded
# packages, then the cached .debs as `archive FILE` lines, as the collector prints them).
# Needs dpkg-deb and apt-ftparchive (apt-utils). Run: sh build-apt-root.sh OUTDIR
set -eu
OUT=${1:?output dir}
W=/tmp/pp-rollback-preflight-apt
rm -rf "$W"; mkdir -p "$W/repo" "$W/etc/apt/sources.list.d" "$W/etc/apt/apt.conf.d" "$W/etc/apt/preferences.d" \
    "$W/var/lib/apt/lists/partial" "$W/var/cache/apt/archives/partial" "$W/var/lib/dpkg"
deb() { # name version dir
    d="$W/build/$1-$2"; mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$1" "$3"
    printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: PostPatch <pp@example.org>\nDescription: rollback fixture %s\n' "$1" "$2" "$1" >"$d/DEBIAN/control"
    echo "$2" >"$d/usr/share/doc/$1/version"
    dpkg-deb --root-owner-group -b "$d" "$3/$1_$(echo "$2" | sed 's/:/%3a/')_all.deb" >/dev/null
}
deb ppd 1.0-1 "$W/repo"; deb ppd 1.1-1 "$W/repo"
deb ppgone 1.1-1 "$W/repo"
deb ppcached 1:2.1-1 "$W/repo"; deb ppcached 1:2.0-1 "$W/var/cache/apt/archives"
( cd "$W/repo" && apt-ftparchive packages . >Packages && apt-ftparchive release . >Release )
echo "deb [trusted=yes] file:$W/repo ./" >"$W/etc/apt/sources.list"
for p in ppd:1.0-1 ppgone:1.0-1 ppcached:1:2.0-1; do
    printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nMaintainer: PostPatch <pp@example.org>\nArchitecture: all\nVersion: %s\nDescription: rollback fixture\n\n' "${p%%:*}" "${p#*:}" >>"$W/var/lib/dpkg/status"
done
A="-o Dir=$W -o Dir::State::status=$W/var/lib/dpkg/status -o Dir::Etc=$W/etc/apt -o Dir::Etc::SourceList=$W/etc/apt/sources.list -o Dir::Etc::SourceParts=$W/etc/apt/sources.list.d -o Dir::Etc::Parts=$W/etc/apt/apt.conf.d -o Dir::Etc::Preferences=$W/etc/apt/preferences -o Dir::Etc::PreferencesParts=$W/etc/apt/preferences.d -o Dir::Cache=$W/var/cache/apt -o Dir::State=$W/var/lib/apt -o APT::Architecture=amd64 -o Debug::NoLocking=1"
# shellcheck disable=SC2086 # the options above, split on purpose
apt-get $A -qq update
mkdir -p "$OUT"
# shellcheck disable=SC2086
LC_ALL=C apt-get $A -s dist-upgrade >"$OUT/apt-get-s-dist-upgrade.out"
set --
# shellcheck disable=SC2013 # package names hold no spaces
for n in $(awk '$1 == "Inst" && substr($3, 1, 1) == "[" { print $2 }' "$OUT/apt-get-s-dist-upgrade.out"); do set -- "$@" "$n"; done
{
    # shellcheck disable=SC2086
    LC_ALL=C apt-cache $A policy "$@"
    for n in "$@"; do
        for f in "$W/var/cache/apt/archives/${n%%:*}"_*.deb; do [ -e "$f" ] && printf 'archive %s\n' "${f##*/}"; done; true
    done
} >"$OUT/apt-preflight.out"
