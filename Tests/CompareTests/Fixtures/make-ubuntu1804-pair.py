#!/usr/bin/env python3
"""Builds ubuntu1804-baseline.json and ubuntu1804-after-patch.json from the real Ubuntu 18.04
captures in ../shared/fixtures/real (systemctl, systemctl list-unit-files, ss -tulpen, dpkg -l),
then applies one patch night: openssl/libssl1.1 and a kernel upgraded, reboot, rsyslog failed,
mysqld's port 3306 gone, every pid and ephemeral port moved. dpkg -l truncates versions at 20
characters; those stay truncated (they only need to be identical on both sides).
FixtureTests re-encodes the files with SnapshotCoding.encode when POSTPATCH_WRITE_FIXTURES=1."""
import json, os, re, copy
here = os.path.dirname(os.path.abspath(__file__))
real = os.path.join(here, "../../../../shared/fixtures/real")
def lines(n): return open(os.path.join(real, n), encoding="utf-8").read().splitlines()

enabled = {}
for l in lines("ubuntu-18.04_systemctl-luf.out"):
    f = l.split()
    if len(f) >= 2 and f[0].endswith(".service"): enabled[f[0]] = f[1]
services = []
for l in lines("ubuntu-18.04_systemctl.out"):
    f = l.replace("●", " ").split(None, 4)
    if len(f) >= 4 and f[0].endswith(".service"):
        s = {"name": f[0], "load": f[1], "active": f[2], "sub": f[3], "source": "systemd"}
        if len(f) == 5: s["description"] = f[4].strip()
        if f[0] in enabled: s["enabled"] = enabled[f[0]]
        services.append(s)
sockets = []
for l in lines("ubuntu-18.04_ss-sudo-tulpen.out")[1:]:
    f = l.split()
    addr, port = f[4].rsplit(":", 1)
    proto = f[0]
    if addr.startswith("[") or addr == "*": proto += "6"; addr = "::" if addr == "*" else addr.strip("[]")
    s = {"protocol": proto, "address": addr, "port": int(port)}
    m = re.search(r'users:\(\("([^"]+)",pid=(\d+)', l)
    if m: s["process"], s["pid"] = m.group(1), int(m.group(2))
    sockets.append(s)
packages = []
for l in lines("ubuntu-18.04_dpkg-l.out"):
    if not l.startswith("ii "): continue
    f = l.split()
    packages.append({"name": f[1].split(":")[0], "arch": f[3], "version": f[2], "manager": "dpkg"})
def setv(pk, name, v):
    for p in pk:
        if p["name"] == name: p["version"] = v
setv(packages, "openssl", "1.1.1-1ubuntu2.1~18.04.9")
setv(packages, "libssl1.1", "1.1.1-1ubuntu2.1~18.04.9")

base = {
    "schemaVersion": 1, "host": "ubuntu1804", "capturedAt": "2021-03-24T21:58:03Z", "durationMs": 2113, "notes": [],
    "system": {"hostname": "ubuntu1804", "os": {"id": "ubuntu", "versionID": "18.04", "prettyName": "Ubuntu 18.04.5 LTS"},
               "kernel": "4.15.0-140-generic", "arch": "x86_64", "bootID": "b4c2e0f7-3d6a-4b1e-8f29-61a0d5c7e3b2",
               "uptimeSeconds": 1987203, "rebootRequired": False, "rebootRequiredPackages": []},
    "services": services, "sockets": sockets, "ephemeralPortRange": {"low": 32768, "high": 60999},
    "packages": packages,
    "pendingUpdates": [
        {"name": n, "arch": "amd64", "currentVersion": "1.1.1-1ubuntu2.1~18.04.9", "candidateVersion": "1.1.1-1ubuntu2.1~18.04.10", "security": True}
        for n in ("libssl1.1", "openssl")],
    "connectivity": [{"target": "10.0.0.1", "kind": "ping", "reachable": True, "latencyMs": 0.318, "method": "ping"},
                     {"target": "archive.ubuntu.com", "port": 80, "kind": "tcp", "reachable": True, "latencyMs": 21.7, "method": "nc"}],
    "dns": [{"name": "archive.ubuntu.com", "method": "getent", "answers": ["91.189.91.38", "91.189.91.39"]}],
    "databases": [{"name": "app", "kind": "mysql", "address": "127.0.0.1", "port": 3306, "up": True,
                   "version": "5.7.33-0ubuntu0.18.04.1", "latencyMs": 1.9}],
}
cur = copy.deepcopy(base)
cur.update(capturedAt="2021-03-24T23:41:37Z", durationMs=1876)
cur["system"].update(kernel="4.15.0-141-generic", bootID="0e9d51a3-7c84-4f02-b6e1-9a3f2c8d4e71", uptimeSeconds=412)
setv(cur["packages"], "openssl", "1.1.1-1ubuntu2.1~18.04.10")
setv(cur["packages"], "libssl1.1", "1.1.1-1ubuntu2.1~18.04.10")
setv(cur["packages"], "linux-image-generic", "4.15.0.141.128")
cur["packages"].append({"name": "linux-image-4.15.0-141-generic", "arch": "amd64", "version": "4.15.0-141.145", "manager": "dpkg"})
cur["pendingUpdates"] = []
for s in cur["services"]:
    if s["name"] == "rsyslog.service": s.update(active="failed", sub="failed")
cur["sockets"] = [s for s in cur["sockets"] if s["port"] != 3306]
for s in cur["sockets"]:
    if "pid" in s: s["pid"] += 1000
    if 32768 <= s["port"] <= 60999: s["port"] = 32768 + (s["port"] * 7919) % 28000
for c in cur["connectivity"]: c["latencyMs"] *= 3
cur["databases"][0].update(up=False, error="connection refused", latencyMs=None)
del cur["databases"][0]["version"]; del cur["databases"][0]["latencyMs"]
for name, snap in (("ubuntu1804-baseline.json", base), ("ubuntu1804-after-patch.json", cur)):
    with open(os.path.join(here, name), "w") as f: json.dump(snap, f, indent=2, sort_keys=True); f.write("\n")
