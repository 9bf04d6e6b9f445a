import Foundation
import Model
@testable import Compare

/// Realistic snapshots built in code: a Debian 12 web and database host (real unit names,
/// versions from bookworm and bookworm-security, real ports). Tests copy one and change the
/// field under test, so each test shows exactly one difference.
enum TestSnapshots {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func web1(capturedAt: Date = Date(timeIntervalSince1970: 1_763_720_000)) -> Snapshot {
        Snapshot(
            host: "web1", capturedAt: capturedAt, durationMs: 1843,
            system: SystemFacts(hostname: "web1", os: OSRelease(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)"),
                                kernel: "6.1.0-17-amd64", arch: "x86_64", bootID: "3f2a9c1e-58d4-4b7a-9f0e-2c6d8e1b7a45",
                                uptimeSeconds: 1_209_600, rebootRequired: false),
            services: services, sockets: sockets, ephemeralPortRange: PortRange(low: 32768, high: 60999),
            packages: packages, pendingUpdates: pending,
            connectivity: [
                ConnectivityResult(target: "db1.internal", port: 5432, kind: .tcp, reachable: true, latencyMs: 0.41, method: "bash-dev-tcp"),
                ConnectivityResult(target: "10.0.0.1", kind: .ping, reachable: true, latencyMs: 0.22, method: "ping"),
            ],
            dns: [
                DNSResult(name: "db1.internal", method: "getent", answers: ["10.0.2.15"]),
                DNSResult(name: "deb.debian.org", type: "A", server: "10.0.0.53", method: "dig", answers: ["151.101.2.132", "151.101.66.132"]),
            ],
            databases: [
                DatabaseResult(name: "orders", kind: .postgres, address: "127.0.0.1", port: 5432, up: true,
                               version: "15.5", detail: "authentication required (scram-sha-256)", latencyMs: 2.3),
                DatabaseResult(name: "cache", kind: .redis, address: "127.0.0.1", port: 6379, up: true, version: "7.0.11", latencyMs: 0.8),
            ])
    }

    static func svc(_ name: String, _ active: String = "active", _ sub: String = "running", enabled: String? = "enabled") -> Service {
        Service(name: name, load: "loaded", active: active, sub: sub, enabled: enabled, source: .systemd)
    }

    static let services: [Service] = [
        svc("apt-daily.service", "inactive", "dead", enabled: "static"),
        svc("apt-daily-upgrade.service", "inactive", "dead", enabled: "static"),
        svc("cron.service"),
        svc("dbus.service", enabled: "static"),
        svc("getty@tty1.service", enabled: "enabled"),
        svc("networking.service", "active", "exited"),
        svc("nginx.service"),
        svc("php8.2-fpm.service"),
        svc("postgresql.service", "active", "exited"),
        svc("postgresql@15-main.service", enabled: "enabled-runtime"),
        svc("redis-server.service"),
        svc("rsyslog.service"),
        svc("ssh.service"),
        svc("systemd-journald.service", enabled: "static"),
        svc("systemd-logind.service", enabled: "static"),
        svc("systemd-timesyncd.service"),
        svc("systemd-tmpfiles-clean.service", "inactive", "dead", enabled: "static"),
        svc("unattended-upgrades.service"),
    ]

    static func sock(_ p: SocketProtocol, _ addr: String, _ port: Int, _ proc: String?, _ pid: Int?) -> ListeningSocket {
        ListeningSocket(protocol: p, address: addr, port: port, process: proc, pid: pid)
    }

    static let sockets: [ListeningSocket] = [
        sock(.tcp, "0.0.0.0", 22, "sshd", 612),
        sock(.tcp, "0.0.0.0", 80, "nginx", 1021),
        sock(.tcp, "0.0.0.0", 80, "nginx", 1022),
        sock(.tcp, "0.0.0.0", 443, "nginx", 1021),
        sock(.tcp, "127.0.0.1", 5432, "postgres", 804),
        sock(.tcp, "127.0.0.1", 6379, "redis-server", 733),
        sock(.tcp6, "::", 22, "sshd", 612),
        sock(.tcp6, "::1", 5432, "postgres", 804),
        sock(.udp, "0.0.0.0", 68, "dhclient", 455),
        sock(.udp, "127.0.0.1", 323, "chronyd", 590),
        // An outgoing resolver socket: inside the ephemeral range, noise.
        sock(.udp, "0.0.0.0", 41873, "systemd-resolve", 398),
    ]

    static func pkg(_ name: String, _ version: String, _ arch: String = "amd64") -> InstalledPackage {
        InstalledPackage(name: name, arch: arch, version: version, manager: .dpkg)
    }

    static let packages: [InstalledPackage] = [
        pkg("base-files", "12.4+deb12u4"),
        pkg("bash", "5.2.15-2+b2"),
        pkg("ca-certificates", "20230311", "all"),
        pkg("curl", "7.88.1-10+deb12u4"),
        pkg("libc6", "2.36-9+deb12u3"),
        pkg("libc6", "2.36-9+deb12u3", "i386"),
        pkg("libssl3", "3.0.11-1~deb12u1"),
        pkg("linux-image-6.1.0-17-amd64", "6.1.69-1"),
        pkg("nginx", "1.22.1-9"),
        pkg("openssh-server", "1:9.2p1-2+deb12u1"),
        pkg("openssl", "3.0.11-1~deb12u1"),
        pkg("php8.2-fpm", "8.2.12-1~deb12u1"),
        pkg("postgresql-15", "15.5-0+deb12u1"),
        pkg("redis-server", "5:7.0.11-1+deb12u1"),
        pkg("tzdata", "2023c-5+deb12u1", "all"),
    ]

    static let pending: [PendingUpdate] = [
        PendingUpdate(name: "libssl3", arch: "amd64", currentVersion: "3.0.11-1~deb12u1", candidateVersion: "3.0.13-1~deb12u1", security: true),
        PendingUpdate(name: "openssl", arch: "amd64", currentVersion: "3.0.11-1~deb12u1", candidateVersion: "3.0.13-1~deb12u1", security: true),
    ]

    /// `base` captured again a few minutes later with nothing changed: every volatile field differs.
    static func recaptured(_ base: Snapshot) -> Snapshot {
        var s = base
        s.capturedAt = base.capturedAt.addingTimeInterval(1800)
        s.durationMs = base.durationMs + 977
        s.system.uptimeSeconds += 1800
        for i in s.sockets.indices { s.sockets[i].pid = s.sockets[i].pid.map { $0 + 40_000 } }
        for i in s.connectivity.indices { s.connectivity[i].latencyMs = 12.5 }
        for i in s.databases.indices { s.databases[i].latencyMs = 40.1 }
        // A canonical re-capture lists everything in the same order, a hand-built one need not.
        s.services.reverse()
        s.sockets.reverse()
        s.packages.reverse()
        return s
    }
}

extension HostVerdict {
    /// (kind, severity, subject) of every finding: what most tests assert on.
    var summary: [String] {
        findings.map { "\($0.kind.rawValue) \($0.severity.rawValue) \($0.subject)" }
    }
}

func replacing<T>(_ list: [T], where match: (T) -> Bool, with change: (inout T) -> Void) -> [T] {
    list.map { var x = $0; if match(x) { change(&x) }; return x }
}
