import Model

/// Mounted filesystems and their space: the mount table from /proc/self/mountinfo (the shell's
/// own mount namespace, the host's), then `df -kP` for sizes in a step of its own, so a df
/// stuck on a dead NFS server (bounded by the step timeout) costs only the figures, never the
/// list of what is mounted.
enum MountsSection {
    // The steps of the section (`mounts.<tool>` in the script and its output).
    static let dfStep = Step(.mounts, "df")
    static let mountinfoStep = Step(.mounts, "mountinfo")

    static let fragment: String =
        "if [ -r /proc/self/mountinfo ]; then\n"
        + ScriptFraming.step(mountinfoStep, "cat /proc/self/mountinfo")
        + ScriptFraming.step(dfStep, "pp_to df -kP")
        + "else\n" + ScriptFraming.missing(mountinfoStep, tools: ["/proc/self/mountinfo"]) + "fi\n"

    static func parse(_ output: ScriptOutput) -> (items: [Mount], notes: [String]) {
        guard let step = output[step: mountinfoStep] else {
            return ([], output.missing[mountinfoStep.name] != nil ? ["mounts: no /proc/self/mountinfo on the host"] : [])
        }
        var notes: [String] = []
        if let problem = step.problem("mounts", "reading /proc/self/mountinfo") { notes.append(problem) }
        let parsed = MountsParser.mountinfo(step.stdout)
        notes += parsed.notes
        guard let df = output[step: dfStep] else { return (parsed.items, notes) }
        if let problem = df.problem("mounts", "df -kP", ok: [0, 1]) { notes.append(problem + " (sizes unknown)") }
        return (MountsParser.merge(parsed.items, space: MountsParser.df(df.stdout)), notes)
    }
}

extension MountsSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [mountinfoStep], missing: mountinfoStep, tools: "/proc/self/mountinfo", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.mounts = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Mounts"])
}
