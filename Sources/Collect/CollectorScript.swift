import Model

/// The one POSIX sh script that collects a snapshot on a host. Its text is a pure function of
/// the checks, the options and the nonce, so `postpatch script` can print exactly what runs.
public enum CollectorScript {
    /// The command line that runs the script, which goes in on stdin (so neither the script nor
    /// its nonce is in any process list). Not `sh -s`: a shell reading commands from a pipe
    /// reads one byte per system call (13,000 for the script). `cat` takes it in one read, and
    /// `exec` drops the login shell (any shell that knows `exec` and single quotes will do).
    public static let launcher = "exec /bin/sh -c 'eval \"$(cat)\"'"

    /// The exact script that runs on a host. `nonce` is a random token the caller generates
    /// per run; it goes into every section marker so host output can't forge a boundary.
    public static func render(checks: CheckSet, options: ScriptOptions, nonce: String) -> String {
        ScriptFraming.preamble(nonce: nonce, stepTimeout: options.stepTimeout)
            + SystemSection.fragment
            + ServicesSection.fragment
            + SocketsSection.fragment
            + PackagesSection.fragment
            + OutdatedSection.fragment
            + MountsSection.fragment
            + ModulesSection.fragment
            + NetworkSection.fragment
            + FirewallSection.fragment
            + UpdatesSection.fragment(options)
            + ConnectivitySection.fragment(checks.connectivity)
            + DNSSection.fragment(checks.dns)
            + HTTPChecksSection.fragment(checks.http)
            + CommandsSection.fragment(checks.commands)
            + ContainersSection.fragment
            + LogsSection.fragment
            + ScriptFraming.epilogue
    }
}

/// Builds a Snapshot from the script's stdout.
public enum SnapshotParser {
    /// Builds a Snapshot (all sections except `databases`, which Probe fills) from the script's
    /// raw stdout bytes. Never throws; problems go to `notes`. `capturedAt` and `durationMs`
    /// are left for the caller. The result is canonical (sorted).
    public static func parse(stdout: [UInt8], host: String, nonce: String, checks: CheckSet,
                             options: ScriptOptions = ScriptOptions()) -> Snapshot {
        // Invalid UTF-8 (a Latin-1 description) becomes U+FFFD instead of failing the whole parse.
        let output = ScriptOutput.parse(stdout, nonce: nonce)
        var notes = output.notes
        if output.steps.isEmpty {
            notes.append("script: no section markers in the output (wrong nonce, or the script did not run)")
        } else if !output.finished {
            notes.append("script: output ended before the last section (killed or timed out?)")
        }
        let system = SystemSection.parse(output)
        let services = ServicesSection.parse(output)
        let sockets = SocketsSection.parse(output, arch: system.facts.arch, uid: SystemSection.uid(output))
        let packages = PackagesSection.parse(output)
        let updates = UpdatesSection.parse(output, installed: packages.items)
        let outdated = OutdatedSection.parse(output, uid: SystemSection.uid(output))
        let network = NetworkSection.parse(output, stepTimeout: options.stepTimeout)
        let firewall = FirewallSection.parse(output, stepTimeout: options.stepTimeout)
        let commands = CommandsSection.parse(output, checks: checks.commands)
        let mounts = MountsSection.parse(output), modules = ModulesSection.parse(output)
        let containers = ContainersSection.parse(output), logs = LogsSection.parse(output)
        notes += system.notes + services.notes + sockets.notes + packages.notes + updates.notes + outdated.notes
            + commands.notes + mounts.notes + modules.notes + network.notes + firewall.notes + containers.notes + logs.notes
        var snapshot = Snapshot(host: host, notes: notes, system: system.facts, services: services.items,
                                sockets: sockets.sockets, ephemeralPortRange: sockets.range,
                                packages: packages.items, pendingUpdates: updates.items,
                                connectivity: ConnectivitySection.parse(output, checks: checks.connectivity),
                                dns: DNSSection.parse(output, checks: checks.dns),
                                outdated: outdated.items, mounts: mounts.items, modules: modules.items,
                                interfaces: network.interfaces, routes: network.routes, firewall: firewall.ruleset,
                                containers: containers.items, logErrors: logs.errors, crashDumps: logs.dumps)
        snapshot.httpChecks = HTTPChecksParser.parse(output, checks: checks.http)
        snapshot.commands = commands.results
        snapshot.notCaptured = CaptureGaps.detect(output, timeouts: StepTimeouts(step: options.stepTimeout, updates: options.updatesTimeout))
        // What a section's own parse found beyond the step table (CaptureGaps): a gap, or "partial".
        let gaps: [(SnapshotSection, CaptureGap?)] = [(.network, network.gap), (.firewall, firewall.gap),
                                                      (.containers, containers.gap), (.logs, logs.gap)]
        for (section, gap) in gaps where snapshot.isCaptured(section) {
            if let gap { snapshot.notCaptured[section.rawValue] = gap }
        }
        for (section, why) in [(SnapshotSection.outdated, outdated.partial), (.logs, logs.partial)] where snapshot.isCaptured(section) {
            if let why { snapshot.partial[section.rawValue] = why }
        }
        snapshot.canonicalize()
        return snapshot
    }
}
