import Model

/// Decides, per section, whether the script captured it: a section whose step timed out, was
/// killed, could not run, or found no tool, is not captured (unknown), never "captured, empty".
/// One table for every section, so no section can forget the rule.
enum CaptureGaps {
    /// A non-zero exit with nothing on stdout, for a rule that ``CaptureRule/listsAll``. (Debian's `service
    /// --status-all` exits with its last script's status: with output, that is no failure.)
    static func silentFailure(_ step: StepOutput) -> String? {
        guard let status = step.status, status != 0,
              step.stdout.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) else { return nil }
        return "failed with no output (exit \(status)\(step.stderrHeadline.map { ": " + $0 } ?? ""))"
    }

    /// The steps that carry a section (a `STEP` marker of another step is a detail of its section).
    static let sectionSteps: Set<String> = Set(SnapshotSection.allCases.flatMap { $0.collector.capture?.steps.map(\.name) ?? [] })
    static func carriesSection(_ step: String) -> Bool { sectionSteps.contains(step) }

    /// The gaps of one run's output, by section.
    static func detect(_ output: ScriptOutput, timeouts: StepTimeouts) -> [SnapshotSection: CaptureGap] {
        var gaps: [SnapshotSection: CaptureGap] = [:]
        for section in SnapshotSection.allCases {
            guard let rule = section.collector.capture else { continue }
            if let gap = gap(section, rule, output, timeouts) { gaps[section] = gap }
        }
        return gaps
    }

    static func gap(_ section: SnapshotSection, _ rule: CaptureRule, _ output: ScriptOutput, _ timeouts: StepTimeouts) -> CaptureGap? {
        if let why = output.skipped[section.rawValue] { return CaptureGap(step: "", problem: why, fix: "", skipped: true) }
        for name in rule.steps {
            guard let step = output[step: name] else { continue }
            let problem = failure(step, timeout: timeouts.seconds(for: rule.timeout))
                ?? (rule.listsAll ? silentFailure(step) : nil)
            guard let problem else { return nil }
            let fix = problem.contains("timed out")
                ? "raise \(rule.timeout.rawValue) (the host may be busy: a package manager mid-patch is slow)"
                : "check the host's load and memory, then capture again"
            return CaptureGap(step: name.name, problem: problem, fix: fix)
        }
        if let missing = rule.missing, output.missing[missing.name] != nil {
            return CaptureGap(step: missing.name, problem: "no \(rule.tools) on the host", fix: "install \(rule.tools), or ignore this section")
        }
        // No step ran at all (the script took another branch, or an old script): only the
        // sections every host has (or whose every branch says so) are unknown then.
        if rule.alwaysSaid {
            return CaptureGap(step: rule.steps[0].name, problem: "the step did not run", fix: "capture again")
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
    func seconds(for option: CaptureRule.TimeoutOption) -> Int { option == .updates ? updates : step }
}
