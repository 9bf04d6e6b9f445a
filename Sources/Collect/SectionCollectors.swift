import Model

// Each section's collector entry (see ``SectionCollector``): its fragment, the steps that carry
// it, and how its parse fills its part of the snapshot.

extension SystemSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["system.facts"], tools: "uname", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.system = parsed.facts
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["OSRelease", "RebootRequired"])
}

extension ServicesSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["services.systemd-units", "services.openrc", "services.sysv"], missing: "services.init",
                             tools: "systemctl, rc-status or service", listsAll: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.services = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["SystemdUnits", "InitScripts"])
}

extension OutdatedSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["outdated.maps"], missing: "outdated.maps", tools: "grep, awk and xargs with a readable /proc"),
        parse: { output, _, snapshot in
            let parsed = parse(output, uid: SystemSection.uid(output))
            snapshot.outdated = parsed.items
            return .init(notes: parsed.notes, partial: parsed.partial)
        }, fuzzTargets: ["Outdated"])
}

extension SocketsSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["sockets.proc"], tools: "/proc/net", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output, arch: snapshot.system.arch, uid: SystemSection.uid(output))
            snapshot.sockets = parsed.sockets
            snapshot.ephemeralPortRange = parsed.range
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["SS", "ProcNet", "Netstat"])
}

extension MountsSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["mounts.mountinfo"], missing: "mounts.mountinfo", tools: "/proc/self/mountinfo", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.mounts = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Mounts"])
}

extension NetworkSection {
    /// A failing (not only timed-out) ip command is the parse's own gap.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["network.ip"], missing: "network.ip", tools: "ip (iproute2)"),
        parse: { output, context, snapshot in
            let parsed = parse(output, stepTimeout: context.options.stepTimeout)
            snapshot.interfaces = parsed.interfaces
            snapshot.routes = parsed.routes
            return .init(notes: parsed.notes, gap: parsed.gap)
        }, fuzzTargets: ["Network"])
}

extension ModulesSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["modules.proc"], tools: "/proc/modules", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.modules = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Modules"])
}

extension FirewallSection {
    /// A failing firewall tool is the parse's own gap.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["firewall.nft", "firewall.iptables"], tools: "nft or iptables-save"),
        parse: { output, context, snapshot in
            let parsed = parse(output, stepTimeout: context.options.stepTimeout)
            snapshot.firewall = parsed.ruleset
            return .init(notes: parsed.notes, gap: parsed.gap)
        }, fuzzTargets: ["Firewall"])
}

extension ContainersSection {
    /// No engine, or none in use, is a SKIP marker with the reason.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["containers.podman", "containers.docker"], tools: "podman or docker", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.containers = parsed.items
            return .init(notes: parsed.notes, gap: parsed.gap)
        }, fuzzTargets: ["Containers"])
}

extension PackagesSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["packages.dpkg", "packages.rpm", "packages.apk"], missing: "packages.manager",
                             tools: "dpkg-query, rpm or apk", listsAll: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.packages = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Dpkg", "Rpm", "Apk"])
}

extension UpdatesSection {
    static let collector = SectionCollector(
        fragment: { context in fragment(context.options) },
        capture: CaptureRule(steps: ["updates.apt", "updates.dnf", "updates.apk"], missing: "updates.manager",
                             tools: "apt-get, dnf, yum or apk", timeout: .updates),
        parse: { output, _, snapshot in
            let parsed = parse(output, installed: snapshot.packages)
            snapshot.pendingUpdates = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["AptSimulation", "DnfUpdates", "Apk"])
}

extension LogsSection {
    /// No journald is a SKIP marker with the reason.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: ["logs.journal"], tools: "journalctl", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.logErrors = parsed.errors
            snapshot.crashDumps = parsed.dumps
            return .init(notes: parsed.notes, gap: parsed.gap, partial: parsed.partial)
        }, fuzzTargets: ["Logs"])
}

extension ConnectivitySection {
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.connectivity) }, capture: nil,
        parse: { output, context, snapshot in
            snapshot.connectivity = parse(output, checks: context.checks.connectivity)
            return .init()
        }, fuzzTargets: ["Snapshot"])
}

extension DNSSection {
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.dns) }, capture: nil,
        parse: { output, context, snapshot in
            snapshot.dns = parse(output, checks: context.checks.dns)
            return .init()
        }, fuzzTargets: ["Dig"])
}

extension HTTPChecksSection {
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.http) }, capture: nil,
        parse: { output, context, snapshot in
            snapshot.httpChecks = HTTPChecksParser.parse(output, checks: context.checks.http)
            return .init()
        }, fuzzTargets: ["Snapshot"])
}

extension CommandsSection {
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.commands) }, capture: nil,
        parse: { output, context, snapshot in
            let parsed = parse(output, checks: context.checks.commands)
            snapshot.commands = parsed.results
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Commands"])
}
