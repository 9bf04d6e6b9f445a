import Model

/// A step of the collector script: a section's name and the tool it runs, written
/// `mounts.mountinfo` in the script's markers and output. Typed, so no step can be named for
/// another section or spelt two ways in the fragment and its parser.
struct Step: Hashable {
    let section: SnapshotSection
    let tool: String

    init(_ section: SnapshotSection, _ tool: String) {
        self.section = section
        self.tool = tool
    }

    var name: String { "\(section.rawValue).\(tool)" }
}

extension ScriptOutput {
    /// The output of `step`, nil when it did not run.
    subscript(step step: Step) -> StepOutput? { steps[step.name] }
}
