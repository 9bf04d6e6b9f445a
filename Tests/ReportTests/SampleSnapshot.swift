import Foundation
import Model

/// A snapshot shaped like a Debian 12 web server's, with one failed unit, pending security updates,
/// learned endpoints and a declared HTTP check that fails because nginx is down.
enum SampleSnapshot {
    static var web: Snapshot {
        var services = [
            Service(name: "nginx.service", load: "loaded", active: "failed", sub: "failed", enabled: "enabled",
                    source: .systemd, description: "A high performance web server and a reverse proxy server"),
            Service(name: "ssh.service", load: "loaded", active: "active", sub: "running", enabled: "enabled",
                    source: .systemd, description: "OpenBSD Secure Shell server"),
            Service(name: "cron.service", load: "loaded", active: "active", sub: "running", enabled: "enabled",
                    source: .systemd),
            Service(name: "apt-daily.service", load: "loaded", active: "inactive", sub: "dead", enabled: "static",
                    source: .systemd),
            Service(name: "logrotate.service", load: "loaded", active: "failed", sub: "failed", enabled: "static",
                    source: .systemd),
        ]
        for name in ["systemd-journald", "systemd-logind", "systemd-udevd", "dbus", "rsyslog", "chrony"] {
            services.append(Service(name: name + ".service", load: "loaded", active: "active", sub: "running",
                                    enabled: "static", source: .systemd))
        }
        let packages = (0..<612).map { InstalledPackage(name: "pkg\($0)", arch: "amd64", version: "1.0-\($0)", manager: .dpkg) }
        return Snapshot(
            host: "web1.example.com", capturedAt: Date(timeIntervalSince1970: 1_763_728_093), durationMs: 2340,
            notes: ["sockets: ss -p needs root for other users' processes; process names partly missing"],
            system: SystemFacts(hostname: "web1", os: OSRelease(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)"),
                                kernel: "6.1.0-28-amd64", arch: "x86_64", bootID: "0b7d3e11-64c2-4f1b-8e2a-9d5f3c1a7b60",
                                uptimeSeconds: 412, rebootRequired: true, rebootRequiredPackages: ["linux-image-6.1.0-28-amd64"]),
            services: services,
            sockets: [
                ListeningSocket(protocol: .tcp, address: "0.0.0.0", port: 22, process: "sshd", pid: 612),
                ListeningSocket(protocol: .tcp6, address: "::", port: 22, process: "sshd", pid: 612),
                ListeningSocket(protocol: .tcp, address: "127.0.0.1", port: 5432),
                ListeningSocket(protocol: .udp, address: "127.0.0.1", port: 323, process: "chronyd", pid: 540),
            ],
            packages: packages,
            pendingUpdates: [
                PendingUpdate(name: "libssl3", arch: "amd64", currentVersion: "3.0.15-1~deb12u1", candidateVersion: "3.0.16-1~deb12u1", security: true),
                PendingUpdate(name: "openssl", arch: "amd64", currentVersion: "3.0.15-1~deb12u1", candidateVersion: "3.0.16-1~deb12u1", security: true),
                PendingUpdate(name: "tzdata", candidateVersion: "2025a-0+deb12u1", security: false),
            ],
            connectivity: [
                ConnectivityResult(target: "db1.example.com", port: 5432, kind: .tcp, reachable: true, latencyMs: 0.8, method: "nc"),
                ConnectivityResult(target: "10.0.0.9", kind: .ping, reachable: false, method: "ping", error: "100% packet loss"),
            ],
            dns: [DNSResult(name: "example.com", method: "getent", answers: ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])],
            databases: [DatabaseResult(name: "main", kind: .postgres, address: "127.0.0.1", port: 5432, up: true,
                                       version: "15.8", detail: "authentication required (scram-sha-256)", latencyMs: 2.1)],
            endpoints: [
                EndpointAnswer(address: "0.0.0.0", port: 22, process: "sshd", method: .handshake, answered: true,
                               banner: BannerInfo(proto: "ssh", product: "OpenSSH", version: "9.2p1",
                                                  line: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")),
                EndpointAnswer(address: "::", port: 22, process: "sshd", method: .handshake, answered: true,
                               banner: BannerInfo(proto: "ssh", product: "OpenSSH", version: "9.2p1",
                                                  line: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")),
                EndpointAnswer(address: "127.0.0.1", port: 5432, method: .handshake, answered: true,
                               banner: BannerInfo(proto: "postgres", line: "")),
            ],
            httpChecks: [
                HTTPCheckResult(name: "health", url: "http://127.0.0.1/health", status: 200, latencyMs: 3.2),
                HTTPCheckResult(name: "site", url: "https://web1.example.com/", error: "connect: connection refused",
                                failed: ["no answer: connect: connection refused"]),
            ],
            commands: [
                CommandResult(name: "app-smoke", exit: 0, outputBytes: 3, excerpt: "ok\n"),
                CommandResult(name: "backup-age", exit: 0, outputBytes: 0),
            ],
            mounts: [
                Mount(mountPoint: "/", source: "/dev/vda1", fsType: "ext4", readOnly: false, sizeKB: 20_000_000, usedPercent: 41),
                Mount(mountPoint: "/boot", source: "/dev/vda2", fsType: "ext4", readOnly: false, sizeKB: 480_000, usedPercent: 93),
            ],
            modules: [KernelModule(name: "ext4"), KernelModule(name: "nf_tables")],
            interfaces: [
                NetworkInterface(name: "lo", state: .up, mtu: 65536, addresses: [InterfaceAddress(address: "127.0.0.1/8", scope: "host")]),
                NetworkInterface(name: "eth0", state: .up, mtu: 1500, addresses: [InterfaceAddress(address: "192.0.2.10/24")]),
            ],
            routes: [
                Route(family: "inet", destination: "default", gateway: "192.0.2.1", device: "eth0"),
                Route(family: "inet", destination: "192.0.2.0/24", device: "eth0"),
            ],
            firewall: FirewallRuleset(backends: ["nftables"], digest: "sha256:0", chains: [
                FirewallChain(backend: "nftables", family: "inet", table: "filter", name: "input", policy: "drop", rules: 4, digest: "a"),
                FirewallChain(backend: "nftables", family: "inet", table: "filter", name: "output", policy: "accept", rules: 0, digest: "b"),
            ]),
            containers: [
                Container(engine: "podman", name: "app", id: "1f2e", image: "registry.example.com/app:3", state: "running"),
                Container(engine: "podman", name: "migrate", id: "3c4d", image: "registry.example.com/app:3", state: "exited"),
            ],
            logErrors: [UnitLogErrors(unit: "nginx.service", count: 2, lines: ["nginx: [emerg] bind() failed"])])
    }
}
