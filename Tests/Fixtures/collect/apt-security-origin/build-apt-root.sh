#!/bin/sh
# A scratch APT root (never this machine's /etc/apt or dpkg status): version 1 of two packages
# "installed" (a dpkg status file), version 2 served by local archives whose Release files say
# Debian-Security / Ubuntu -security pockets as the real ones do, then `apt-get -s dist-upgrade`
# as the collector runs it. Needs dpkg-deb and apt-ftparchive (apt-utils). Run: sh build-apt-root.sh OUTDIR
set -eu
OUT=${1:?output dir}
W=/tmp/pp-apt-security-origin
rm -rf "$W"; mkdir -p "$W/pkgs" "$W/etc/apt/sources.list.d" "$W/etc/apt/apt.conf.d" "$W/etc/apt/preferences.d" \
    "$W/var/lib/apt/lists/partial" "$W/var/cache/apt/archives/partial" "$W/var/lib/dpkg"
deb() { # name version dir
    d="$W/build/$1-$2"; mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$1" "$3"
    printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: PostPatch <pp@example.org>\nDescription: advisory fixture %s\n' "$1" "$2" "$1" >"$d/DEBIAN/control"
    echo "$2" >"$d/usr/share/doc/$1/version"
    dpkg-deb --root-owner-group -b "$d" "$3/$1_$2_all.deb" >/dev/null
}
archive() { # dir origin label suite codename version
    ( cd "$1" && apt-ftparchive packages . >Packages && gzip -9kf Packages &&
      apt-ftparchive -o APT::FTPArchive::Release::Origin="$2" -o APT::FTPArchive::Release::Label="$3" \
        -o APT::FTPArchive::Release::Suite="$4" -o APT::FTPArchive::Release::Codename="$5" \
        -o APT::FTPArchive::Release::Version="$6" release . >Release )
}
# Version 1 as .debs too, for a lab host that installs them for real (AdvisoriesLabTests).
deb ppssl 1.0-1 "$W/installed"; deb pptool 1.0-1 "$W/installed"
# Debian: ppssl 1.1 in both bookworm (point release) and bookworm-security; pptool 1.1 in bookworm only.
# One build copied to both archives: apt lists both origins only for byte-identical .debs (two
# builds a second apart differ in their tar mtimes, and apt then keeps them as two versions).
deb ppssl 1.1-1+deb12u1 "$W/debian"; deb pptool 1.1-1 "$W/debian"
mkdir -p "$W/debian-security"; cp "$W/debian/ppssl_1.1-1+deb12u1_all.deb" "$W/debian-security/"
archive "$W/debian" Debian Debian oldstable bookworm 12.15
archive "$W/debian-security" Debian-Security Debian-Security oldstable-security bookworm-security 12
# Ubuntu: ppcurl in jammy-updates and jammy-security.
deb ppcurl 2.0-1ubuntu0.1 "$W/ubuntu-updates"
mkdir -p "$W/ubuntu-security"; cp "$W/ubuntu-updates/ppcurl_2.0-1ubuntu0.1_all.deb" "$W/ubuntu-security/"
archive "$W/ubuntu-updates" Ubuntu Ubuntu jammy-updates jammy 22.04
archive "$W/ubuntu-security" Ubuntu Ubuntu jammy-security jammy 22.04
for a in debian debian-security ubuntu-updates ubuntu-security; do
    echo "deb [trusted=yes] file:$W/$a ./" >>"$W/etc/apt/sources.list"
done
for p in ppssl:1.0-1 pptool:1.0-1 ppcurl:2.0-1; do
    printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nMaintainer: PostPatch <pp@example.org>\nArchitecture: all\nVersion: %s\nDescription: advisory fixture\n\n' "${p%%:*}" "${p#*:}" >>"$W/var/lib/dpkg/status"
done
A="-o Dir=$W -o Dir::State::status=$W/var/lib/dpkg/status -o Dir::Etc=$W/etc/apt -o Dir::Etc::SourceList=$W/etc/apt/sources.list -o Dir::Etc::SourceParts=$W/etc/apt/sources.list.d -o Dir::Etc::Parts=$W/etc/apt/apt.conf.d -o Dir::Etc::Preferences=$W/etc/apt/preferences -o Dir::Etc::PreferencesParts=$W/etc/apt/preferences.d -o Dir::Cache=$W/var/cache/apt -o Dir::State=$W/var/lib/apt -o APT::Architecture=amd64 -o Debug::NoLocking=1"
# shellcheck disable=SC2086 # the options above, split on purpose
apt-get $A -qq update
mkdir -p "$OUT"
# shellcheck disable=SC2086
apt-get $A -s dist-upgrade >"$OUT/apt-get-s-dist-upgrade.out"
