import Model

/// Runs whose findings fall in the categories of issues 13 and 14 (endpoints, http, commands,
/// mounts, network, modules, firewall, containers, logs), and one host with a finding of every
/// kind the model knows, so a category added later is in these runs without editing them.
enum SampleCategoryRuns {
    /// A shop server after a bad patch: the site answers 502, its smoke test fails, a data mount
    /// and an address are gone, and so on through every new category.
    static var shop: HostVerdict {
        let h = "shop1.example.com"
        func item(_ kind: FindingKind, _ subject: String, _ before: String?, _ after: String?,
                  _ message: String) -> CheckedItem {
            CheckedItem(category: kind.category, subject: subject, findings: [
                Finding(host: h, kind: kind, severity: kind.defaultSeverity, subject: subject,
                        before: before, after: after, message: message)])
        }
        let items = [
            item(.httpStatusChanged, "tcp 0.0.0.0:443", "200", "502", "GET / on tcp 0.0.0.0:443 answered 502, was 200"),
            item(.bannerChanged, "tcp 0.0.0.0:22", "ssh OpenSSH", "ssh Dropbear", "the banner on tcp 0.0.0.0:22 changed"),
            CheckedItem(category: .section(.endpoints), subject: "tcp 127.0.0.1:5432"),
            item(.httpCheckFailed, "health (https://shop1.example.com/health)", nil, "status 502, expected 200",
                 "http check health (https://shop1.example.com/health) failed: status 502, expected 200"),
            item(.commandFailed, "app-smoke", "exit 0", "exit 1", "command 'app-smoke' exited 1 (expected 0): flag missing"),
            CheckedItem(category: .section(.commands), subject: "queue-depth"),
            item(.mountMissing, "/srv/data", "/dev/vdb1 ext4 rw", nil, "/srv/data is no longer mounted"),
            item(.spaceLow, "/boot", "71 %", "93 %", "/boot is 93 % full (warning at 90 %)"),
            CheckedItem(category: .section(.mounts), subject: "/"),
            item(.addressLost, "eth0 10.0.0.5/24", "10.0.0.5/24", nil, "eth0 lost 10.0.0.5/24"),
            item(.defaultRouteLost, "default route", "via 10.0.0.1 dev eth0", nil, "the default route via 10.0.0.1 is gone"),
            item(.moduleMissing, "zfs", "loaded", nil, "kernel module zfs is no longer loaded"),
            item(.firewallFlushed, "nft ruleset", "42 rules", "0 rules", "the firewall had 42 rules and has none now"),
            item(.containerStopped, "web (nginx:1.25)", "running", "exited", "container web was running and is exited now"),
            item(.logErrorsNew, "php8.2-fpm.service", "0", "3", "php8.2-fpm.service logs errors: unable to bind listening socket"),
            item(.crashDumpNew, "core dumps", nil, "/usr/sbin/php-fpm8.2 (SIGSEGV)", "a new core dump: php-fpm8.2 killed by SIGSEGV"),
        ]
        return HostVerdict(host: h, facts: [Fact("os", "Debian GNU/Linux 12 (bookworm)")], items: items, durationSeconds: 4.2)
    }

    /// A second shop server where the same categories were checked and nothing changed.
    static var shopClean: HostVerdict {
        let sections: [SnapshotSection] = [.endpoints, .http, .commands, .mounts, .network, .modules, .firewall, .containers, .logs]
        return HostVerdict(host: "shop2.example.com",
                           items: sections.map { CheckedItem(category: .section($0), subject: "\($0.rawValue) item") },
                           durationSeconds: 3.9)
    }

    /// One item per finding kind, with the kind's default severity and category.
    static var everyKind: HostVerdict {
        let h = "kinds.example.com"
        let items = FindingKind.allCases.map { kind in
            CheckedItem(category: kind.category, subject: "\(kind.rawValue) subject", findings: [
                Finding(host: h, kind: kind, severity: kind.defaultSeverity,
                        subject: "\(kind.rawValue) subject", before: "before", after: "after", message: kind.summary)])
        }
        return HostVerdict(host: h, items: items, durationSeconds: 1)
    }

    /// Shop, clean shop and the unreachable host: what a fleet report with the new sections looks like.
    static var shops: VerifyRun {
        VerifyRun(startedAt: SampleRuns.started, durationSeconds: 9.1, hosts: [shop, shopClean, SampleRuns.unreachable])
    }

    /// The shops plus the host with every kind: every category has a finding somewhere.
    static var all: VerifyRun {
        VerifyRun(startedAt: SampleRuns.started, durationSeconds: 9.1,
                  hosts: [shop, shopClean, SampleRuns.unreachable, everyKind, SampleRuns.evil])
    }

    /// The categories added by issues 13 and 14.
    static let newCategories: [Category] = ([.endpoints, .mounts, .network, .modules, .firewall, .containers, .logs,
                                             .http, .commands] as [SnapshotSection]).map(Category.section)
}
