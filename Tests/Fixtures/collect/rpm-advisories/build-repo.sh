#!/bin/sh
# Builds a real RPM repository pair (base: version 1, updates: version 2 + updateinfo.xml) and
# captures dnf's and zypper's answers against a scratch installroot, never this machine's /.
# Debian bookworm: apt-get install dnf rpm createrepo-c zypper. Run: sh build-repo.sh OUTDIR
set -eu
OUT=${1:?output dir}
W=${PP_RPM_ADVISORIES_DIR:-/tmp/pp-rpm-advisories}
rm -rf "$W"; mkdir -p "$W/specs" "$W/base" "$W/updates" "$W/root" "$W/cache" "$W/repos.d"
build() { # name version
    # ppssl 1.1's changelog names the CVEs its advisory does (what rpm -q --changelog reads without
    # dnf); ppdoc 1.1's names one no advisory does (read from the changelog after dnf's upgrade).
    # Version 1.1's changelog has 1.0's entry (with a CVE id older than the upgrade) under its own.
    case $1-$2 in
    ppssl-1.1) fixed="- Fix CVE-2026-10001 and CVE-2026-10002 (remote code execution)" ;;
    ppdoc-1.1) fixed="- Fix CVE-2026-30001 (no advisory names it)" ;;
    *) fixed="- Rebuild" ;;
    esac
    older=
    [ "$2" != 1.1 ] || older="* Thu Oct 01 2026 PostPatch fixtures <fixtures@example.org> - 1.0-1
- First release, fixes CVE-2025-0010
"
    cat > "$W/specs/$1-$2.spec" <<SPEC
Name: $1
Version: $2
Release: 1
Summary: PostPatch advisory fixture $1
License: MIT
BuildArch: noarch
%description
Fixture package $1 $2.
%install
mkdir -p %{buildroot}/usr/share/$1
echo $2 > %{buildroot}/usr/share/$1/version
%files
/usr/share/$1/version
%changelog
* Mon Nov 02 2026 PostPatch fixtures <fixtures@example.org> - $2-1
$fixed

$older
* Tue Sep 01 2026 PostPatch fixtures <fixtures@example.org> - 0.9-1
- First build, fixes CVE-2025-0009
SPEC
    rpmbuild --quiet --define "_topdir $W/rpmbuild" --define "_rpmdir $3" --define "_build_id_links none" \
        -bb "$W/specs/$1-$2.spec" >/dev/null 2>&1
}
for p in ppssl ppcurl ppdoc pptool; do build $p 1.0 "$W/base"; build $p 1.1 "$W/updates"; done
createrepo_c -q "$W/base"
createrepo_c -q "$W/updates"
cat > "$W/updateinfo.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="security@example.org" status="final" type="security" version="1">
    <id>PPSA-2026:0101</id>
    <title>Critical: ppssl security update</title>
    <issued date="2026-11-02 10:00:00"/>
    <updated date="2026-11-03 09:30:00"/>
    <severity>Critical</severity>
    <rights>Copyright 2026 PostPatch fixtures</rights>
    <summary>ppssl: remote code execution</summary>
    <description>A flaw was found in ppssl.
CVE-2026-0001: first line of the description mentions a CVE that is not a reference.</description>
    <references>
      <reference href="https://www.cve.org/CVERecord?id=CVE-2026-10001" id="CVE-2026-10001" type="cve" title="CVE-2026-10001"/>
      <reference href="https://www.cve.org/CVERecord?id=CVE-2026-10002" id="CVE-2026-10002" type="cve" title="CVE-2026-10002"/>
      <reference href="https://bugzilla.example.org/1" id="1001" type="bugzilla" title="ppssl overflow"/>
    </references>
    <pkglist><collection short="pp"><name>pp</name>
      <package name="ppssl" version="1.1" release="1" epoch="0" arch="noarch"><filename>ppssl-1.1-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="security@example.org" status="final" type="security" version="1">
    <id>PPSA-2026:0102</id>
    <title>Important: ppssl and ppcurl security update</title>
    <issued date="2026-10-20 08:00:00"/>
    <severity>Important</severity>
    <summary>two libraries</summary>
    <description>Two packages fixed together.</description>
    <references>
      <reference href="https://www.cve.org/CVERecord?id=CVE-2026-20001" id="CVE-2026-20001" type="cve" title="CVE-2026-20001"/>
    </references>
    <pkglist><collection short="pp"><name>pp</name>
      <package name="ppssl" version="1.1" release="1" epoch="0" arch="noarch"><filename>ppssl-1.1-1.noarch.rpm</filename></package>
      <package name="ppcurl" version="1.1" release="1" epoch="0" arch="noarch"><filename>ppcurl-1.1-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="errata@example.org" status="final" type="bugfix" version="1">
    <id>PPBA-2026:0103</id>
    <title>pptool bug fix update</title>
    <issued date="2026-09-15 12:00:00"/>
    <severity>None</severity>
    <description>Fixes a crash.</description>
    <references/>
    <pkglist><collection short="pp"><name>pp</name>
      <package name="pptool" version="1.1" release="1" epoch="0" arch="noarch"><filename>pptool-1.1-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
  <update from="errata@example.org" status="final" type="enhancement" version="1">
    <id>PPEA-2026:0104</id>
    <title>ppcurl enhancement update</title>
    <issued date="2026-08-01"/>
    <severity>Low</severity>
    <description>New feature.</description>
    <references/>
    <pkglist><collection short="pp"><name>pp</name>
      <package name="ppcurl" version="1.1" release="1" epoch="0" arch="noarch"><filename>ppcurl-1.1-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
</updates>
XML
modifyrepo_c --mdtype=updateinfo "$W/updateinfo.xml" "$W/updates/repodata" >/dev/null
cat > "$W/dnf.conf" <<CONF
[main]
cachedir=$W/cache
reposdir=$W/repos.d
installroot=$W/root
gpgcheck=0
keepcache=0
CONF
printf '[pp-base]\nname=pp base\nbaseurl=file://%s/base\ngpgcheck=0\n[pp-updates]\nname=pp updates\nbaseurl=file://%s/updates\ngpgcheck=0\n' "$W" "$W" > "$W/repos.d/pp.repo"
D="dnf -c $W/dnf.conf --releasever=12 --setopt=reposdir=$W/repos.d --installroot=$W/root"
# Version 1 of every package, from the base repository only.
$D -q -y --disablerepo=pp-updates install ppssl ppcurl ppdoc pptool >/dev/null
mkdir -p "$OUT"
# No cache yet for pp-updates beyond what install read: -C on an empty cache first.
rm -rf "$W/cache"
{ $D -q -C updateinfo list; echo "exit=$?"; } > "$OUT/dnf4-updateinfo-list-nocache.out" 2>&1 || true
$D -q makecache >/dev/null
{ $D -q -C check-update; echo "exit=$?"; } > "$OUT/dnf4-check-update.out" 2>&1 || true
$D -q -C updateinfo list > "$OUT/dnf4-updateinfo-list.out"
$D -q -C updateinfo list --security > "$OUT/dnf4-updateinfo-list-security.out"
$D -q -C updateinfo info > "$OUT/dnf4-updateinfo-info.out"

# zypper against the same root: its repositories are added to the scratch root's /etc/zypp.
Z="zypper --root $W/root --non-interactive"
$Z addrepo -G "file://$W/base" pp-base >/dev/null
$Z addrepo -G "file://$W/updates" pp-updates >/dev/null
# A remote repository never cached: --no-refresh still tries to download it (127.0.0.1:9, nothing listens).
mkdir -p "$W/remote-root"
zypper --root "$W/remote-root" --non-interactive addrepo -G http://127.0.0.1:9/repo pp-remote >/dev/null
{ zypper --root "$W/remote-root" --non-interactive --no-refresh list-patches; echo "exit=$?"; } > "$OUT/zypper-list-patches-uncached-remote.out" 2>&1 || true
$Z refresh >/dev/null
$Z --no-refresh list-updates > "$OUT/zypper-list-updates.out"
$Z --no-refresh list-patches > "$OUT/zypper-list-patches.out"
$Z --no-refresh info -t patch PPSA-2026:0101 PPSA-2026:0102 PPBA-2026:0103 PPEA-2026:0104 > "$OUT/zypper-info-t-patch.out"
echo "$W"
