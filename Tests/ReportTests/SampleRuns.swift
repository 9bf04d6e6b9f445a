import Foundation
import Model

/// VerifyRuns shaped like real ones: a patched web server that lost nginx, a clean database host,
/// an unreachable host, and a host whose every string is hostile.
enum SampleRuns {
    static let started = Date(timeIntervalSince1970: 1_763_728_093) // 2025-11-21T12:28:13Z

    /// Text a compromised or odd host could return, touching every escaping rule at once.
    static let hostile = "<script>alert(1)</script> & \"q\" 'a' ]]> | `tick` *b* _i_ [l](x) #h $m$ ~s~ \\ "
        + "\u{1}\u{1B}[2J\u{7F}\u{85}\u{FFFE}\u{FFFF}\u{FFFD}\u{202E}evil\u{2066}\r\nline2\ttab 🎉"
    static let imgTag = "<img src=x onerror=alert(2)>"

    static var webFacts: [Fact] {
        [Fact("os", "Debian GNU/Linux 12 (bookworm)"), Fact("kernel", "6.1.0-27-amd64 → 6.1.0-28-amd64"),
         Fact("boot id", "5c1f0e0a-8f1e-4d3b-9a57-2d8a1c9b7e42 → 0b7d3e11-64c2-4f1b-8e2a-9d5f3c1a7b60"),
         Fact("reboot required", "no")]
    }

    static var web: HostVerdict {
        let h = "web1.example.com"
        func f(_ c: SnapshotSection, _ kind: FindingKind, _ s: Severity, _ subject: String, _ b: String?, _ a: String?,
               _ m: String) -> Finding {
            Finding(host: h, kind: kind, severity: s, subject: subject, before: b, after: a, message: m)
        }
        var items = [
            CheckedItem(category: .section(.services), subject: "nginx.service", findings: [
                f(.services, .serviceStopped, .regression, "nginx.service", "active/running", "failed/failed",
                  "nginx.service was running before the patch and is failed now")]),
            CheckedItem(category: .section(.services), subject: "ssh.service"),
            CheckedItem(category: .section(.services), subject: "cron.service"),
            CheckedItem(category: .section(.services), subject: "unattended-upgrades.service", findings: [
                f(.services, .serviceDisabled, .warning, "unattended-upgrades.service", "enabled", "disabled",
                  "unattended-upgrades.service is no longer enabled at boot")]),
            CheckedItem(category: .section(.sockets), subject: "tcp 0.0.0.0:443", findings: [
                f(.sockets, .socketClosed, .regression, "tcp 0.0.0.0:443", "nginx", nil,
                  "nothing listens on tcp 0.0.0.0:443 any more")]),
            CheckedItem(category: .section(.sockets), subject: "tcp 0.0.0.0:22"),
            CheckedItem(category: .section(.sockets), subject: "tcp6 [::]:22"),
            CheckedItem(category: .section(.system), subject: "kernel", findings: [
                f(.system, .kernelChanged, .info, "kernel", "6.1.0-27-amd64", "6.1.0-28-amd64",
                  "running kernel changed")]),
            CheckedItem(category: .section(.updates), subject: "pending updates", findings: [
                f(.updates, .updateNew, .warning, "pending updates", "0", "2",
                  "2 security updates are still pending (libssl3, openssl)")]),
            CheckedItem(category: .section(.connectivity), subject: "db1.example.com:5432"),
            CheckedItem(category: .section(.dns), subject: "example.com A"),
        ]
        for (name, from, to) in [("openssl", "3.0.14-1~deb12u2", "3.0.15-1~deb12u1"),
                                 ("libssl3", "3.0.14-1~deb12u2", "3.0.15-1~deb12u1"),
                                 ("linux-image-amd64", "6.1.112-1", "6.1.115-1"),
                                 ("tzdata", "2024a-0+deb12u1", "2024b-0+deb12u1")] {
            items.append(CheckedItem(category: .section(.packages), subject: name, findings: [
                f(.packages, .packageUpgraded, .info, name, from, to, "\(name) upgraded")]))
        }
        return HostVerdict(host: h, facts: webFacts, items: items, durationSeconds: 3.42)
    }

    static var db: HostVerdict {
        HostVerdict(host: "db1.example.com",
                    facts: [Fact("os", "Rocky Linux 9.4 (Blue Onyx)"), Fact("kernel", "5.14.0-427.el9.x86_64")],
                    items: [CheckedItem(category: .section(.services), subject: "postgresql-15.service"),
                            CheckedItem(category: .section(.sockets), subject: "tcp 0.0.0.0:5432"),
                            CheckedItem(category: .section(.databases), subject: "main (postgres 127.0.0.1:5432)")],
                    durationSeconds: 1.9,
                    notes: ["pending updates not captured: timed out after 90 s (step updates.apt): raise --updates-timeout"])
    }

    static var unreachable: HostVerdict {
        HostVerdict(host: "app3.example.com",
                    error: "ssh: connect to app3.example.com:22 timed out after 10 s: check the host is up",
                    durationSeconds: 10.0)
    }

    static var evil: HostVerdict {
        let h = "evil-" + hostile
        return HostVerdict(host: h, facts: [Fact(hostile, hostile), Fact("", " \n ")], items: [
            CheckedItem(category: .section(.services), subject: hostile, findings: [
                Finding(host: h, kind: .serviceStopped, severity: .regression, subject: hostile,
                        before: hostile, after: imgTag, message: "stopped: " + hostile),
                Finding(host: h, kind: .serviceFailed, severity: .regression, subject: hostile,
                        message: imgTag),
            ]),
            CheckedItem(category: .section(.sockets), subject: imgTag, findings: [
                Finding(host: h, kind: .socketOpened, severity: .warning, subject: imgTag,
                        after: hostile, message: hostile)]),
            CheckedItem(category: .section(.packages), subject: "   ", findings: [
                Finding(host: h, kind: .packageInstalled, severity: .info, subject: "",
                        message: hostile)]),
        ], durationSeconds: 0.5, notes: [hostile, imgTag])
    }

    /// Web, db and unreachable: what a normal report looks like.
    static var normal: VerifyRun {
        VerifyRun(startedAt: started, durationSeconds: 12.7, hosts: [web, db, unreachable])
    }

    /// All four hosts, hostile strings included.
    static var all: VerifyRun {
        VerifyRun(startedAt: started, durationSeconds: 12.7, hosts: [web, db, unreachable, evil])
    }

    static var empty: VerifyRun { VerifyRun(startedAt: started, durationSeconds: 0, hosts: []) }
}
