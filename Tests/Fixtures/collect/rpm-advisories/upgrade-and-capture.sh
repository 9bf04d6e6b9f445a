#!/bin/sh
# After build-repo.sh: upgrades ppssl, ppcurl, ppdoc and pptool (version 1.0 → 1.1) in the scratch root
# with its own dnf from the updates repository, as a patch would, then captures what the
# transactions section's rpm-fixes step reads there: dnf's history and `updateinfo list
# --installed` (with and without --with-cve) for the changed packages, and rpm's changelog.
# Run: sh upgrade-and-capture.sh [OUTDIR] (no OUTDIR: upgrade only).
set -eu
OUT=${1:-}
W=${PP_RPM_ADVISORIES_DIR:-/tmp/pp-rpm-advisories}
D="dnf -c $W/dnf.conf --releasever=12 --setopt=reposdir=$W/repos.d --installroot=$W/root"
$D -q -y upgrade ppssl ppcurl ppdoc pptool >/dev/null
[ -n "$OUT" ] || exit 0
mkdir -p "$OUT"
$D -q -C updateinfo list --installed ppcurl ppdoc ppssl pptool > "$OUT/dnf4-updateinfo-list-installed.out"
$D -q -C updateinfo list --installed --with-cve ppcurl ppdoc ppssl pptool > "$OUT/dnf4-updateinfo-list-installed-with-cve.out"
$D -q -C history list > "$OUT/dnf4-history-list.out"
last=$($D -q -C history list | awk -F '|' '$1 ~ /^ *[0-9]+ *$/ { print $1 + 0; exit }')
$D -q -C history info "$last..$last" > "$OUT/dnf4-history-info-range.out"
rpm --root "$W/root" -q --changelog ppssl > "$OUT/rpm-q-changelog-ppssl.out"
rpm --root "$W/root" -q --changelog ppdoc > "$OUT/rpm-q-changelog-ppdoc.out"
