import Model

/// Decides, per section, whether the script captured it: a section whose step timed out, was
/// killed, could not run, or found no tool, is not captured (unknown), never "captured, empty".
/// One table for every section, so no section can forget the rule.
enum CaptureGaps {
    struct Rule {
        var section: SnapshotSection
        /// The steps that carry the section (the host runs one of them), in the parsers' order.
        var steps: [String]
        /// The MISSING marker name when no tool exists for the section.
        var missing: String?
        var tools: String
        /// The option that bounds the step, for the fix text.
        var timeoutOption: String
    }

    static let rules: [Rule] = [
        Rule(section: .system, steps: ["system.facts"], missing: nil, tools: "uname", timeoutOption: "--step-timeout"),
        Rule(section: .services, steps: ["services.systemd-units", "services.openrc", "services.sysv"],
             missing: "services.init", tools: "systemctl, rc-status or service", timeoutOption: "--step-timeout"),
        Rule(section: .sockets, steps: ["sockets.proc"], missing: nil, tools: "/proc/net", timeoutOption: "--step-timeout"),
        Rule(section: .packages, steps: ["packages.dpkg", "packages.rpm", "packages.apk"],
             missing: "packages.manager", tools: "dpkg-query, rpm or apk", timeoutOption: "--step-timeout"),
        Rule(section: .pendingUpdates, steps: ["updates.apt", "updates.dnf", "updates.apk"],
             missing: "updates.manager", tools: "apt-get, dnf, yum or apk", timeoutOption: "--updates-timeout"),
        Rule(section: .outdated, steps: ["outdated.maps"], missing: "outdated.maps",
             tools: "grep, awk and xargs with a readable /proc", timeoutOption: "--step-timeout"),
        Rule(section: .mounts, steps: ["mounts.mountinfo"], missing: "mounts.mountinfo", tools: "/proc/self/mountinfo",
             timeoutOption: "--step-timeout"),
        Rule(section: .modules, steps: ["modules.proc"], missing: nil, tools: "/proc/modules", timeoutOption: "--step-timeout"),
        // A failing (not only timed-out) ip command or firewall tool: NetworkSection, FirewallSection.
        Rule(section: .network, steps: ["network.ip"], missing: "network.ip", tools: "ip (iproute2)", timeoutOption: "--step-timeout"),
        Rule(section: .firewall, steps: ["firewall.nft", "firewall.iptables"], missing: nil, tools: "nft or iptables-save",
             timeoutOption: "--step-timeout"),
        // No engine, or none in use, is a SKIP marker with the reason (ContainersSection).
        Rule(section: .containers, steps: ["containers.podman", "containers.docker"], missing: nil,
             tools: "podman or docker", timeoutOption: "--step-timeout"),
        // No journald is a SKIP marker with the reason (LogsSection).
        Rule(section: .logs, steps: ["logs.journal"], missing: nil, tools: "journalctl", timeoutOption: "--step-timeout"),
    ]

    /// Sections whose step lists everything of a kind: a tool that failed and printed nothing
    /// (systemctl that cannot reach PID 1, dpkg-query that cannot read its database) would
    /// otherwise read as "none", every service or package gone.
    static let listSections: Set<SnapshotSection> = [.services, .packages]

    /// A non-zero exit with nothing on stdout, for ``listSections``. (Debian's `service
    /// --status-all` exits with its last script's status: with output, that is no failure.)
    static func silentFailure(_ step: StepOutput) -> String? {
        guard let status = step.status, status != 0,
              step.stdout.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) else { return nil }
        return "failed with no output (exit \(status)\(step.stderrHeadline.map { ": " + $0 } ?? ""))"
    }

    /// Sections the script always runs a step for, or says why not (SKIP, MISSING).
    static let alwaysSaid: Set<SnapshotSection> = [.system, .sockets, .mounts, .modules, .containers, .logs]

    static let sectionSteps: Set<String> = Set(rules.flatMap(\.steps))
    static func carriesSection(_ step: String) -> Bool { sectionSteps.contains(step) }

    /// The gaps of one run's output, by section raw value.
    static func detect(_ output: ScriptOutput, timeouts: StepTimeouts) -> [String: CaptureGap] {
        var gaps: [String: CaptureGap] = [:]
        for rule in rules {
            if let gap = gap(rule, output, timeouts) { gaps[rule.section.rawValue] = gap }
        }
        return gaps
    }

    static func gap(_ rule: Rule, _ output: ScriptOutput, _ timeouts: StepTimeouts) -> CaptureGap? {
        if let why = output.skipped[rule.section.rawValue] { return CaptureGap(step: "", problem: why, fix: "", skipped: true) }
        for name in rule.steps {
            guard let step = output.steps[name] else { continue }
            let problem = failure(step, timeout: timeouts.seconds(for: rule.timeoutOption))
                ?? (listSections.contains(rule.section) ? silentFailure(step) : nil)
            guard let problem else { return nil }
            let fix = problem.contains("timed out")
                ? "raise \(rule.timeoutOption) (the host may be busy: a package manager mid-patch is slow)"
                : "check the host's load and memory, then capture again"
            return CaptureGap(step: name, problem: problem, fix: fix)
        }
        if let missing = rule.missing, output.missing[missing] != nil {
            return CaptureGap(step: missing, problem: "no \(rule.tools) on the host", fix: "install \(rule.tools), or ignore this section")
        }
        // No step ran at all (the script took another branch, or an old script): only the
        // sections every host has (or whose every branch says so) are unknown then.
        if alwaysSaid.contains(rule.section) {
            return CaptureGap(step: rule.steps[0], problem: "the step did not run", fix: "capture again")
        }
        return nil
    }

    /// Why a step's output can't be trusted as the whole answer, nil when it can. Timeouts
    /// (GNU timeout 124, busybox TERM 143), KILL (137), "cannot execute" (126), "not found" (127),
    /// and a step with no END marker.
    static func failure(_ step: StepOutput, timeout: Int) -> String? {
        guard let status = step.status else { return "did not finish (run cut short)" }
        switch status {
        case 124, 143: return "timed out after \(timeout) s"
        case 137: return "was killed (SIGKILL: out of memory?)"
        case 126, 127: return "could not run its command (exit \(status)\(step.stderrHeadline.map { ": " + $0 } ?? ""))"
        default: return nil
        }
    }
}

/// The step time limits in force, for messages.
struct StepTimeouts {
    var step: Int
    var updates: Int
    func seconds(for option: String) -> Int { option == "--updates-timeout" ? updates : step }
}
