import Model

/// Loaded kernel modules. In a container /proc/modules lists the host kernel's modules, which
/// neither the container's patch nor its reboot changes: the section is skipped there (the same
/// signs of a container as the reboot step reads), and on a kernel built without loadable
/// modules (no /proc/modules), where there is nothing to lose.
enum ModulesSection {
    // The steps of the section (`modules.<tool>` in the script and its output).
    static let procStep = Step(.modules, "proc")

    static let fragment: String =
        "if [ -e /run/systemd/container ] || [ -e /run/.containerenv ] || [ -e /.dockerenv ]; then\n"
        + ScriptFraming.skip(.modules, "in a container: /proc/modules lists the host kernel's modules, which this host's patch and reboot do not change")
        + "elif [ -r /proc/modules ]; then\n"
        + ScriptFraming.step(procStep, "cat /proc/modules")
        + "else\n"
        + ScriptFraming.skip(.modules, "no /proc/modules: the kernel has no loadable module support")
        + "fi\n"

    static func parse(_ output: ScriptOutput) -> (items: [KernelModule], notes: [String]) {
        guard let step = output[step: procStep] else { return ([], []) }
        var notes: [String] = []
        if let problem = step.problem("modules", "reading /proc/modules") { notes.append(problem) }
        let parsed = ModulesParser.parse(step.stdout)
        return (parsed.items, notes + parsed.notes)
    }
}

extension ModulesSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [procStep], tools: "/proc/modules", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.modules = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Modules"])
}
