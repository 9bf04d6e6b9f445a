import ArgumentParser
import Engine
import Model

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the --json reports of sharded runs (verify, drift, diff) into one fleet report.",
        discussion: """
            Writes the same reports as verify (terminal, --junit, --markdown, --html, --json) for \
            every host of every input, with one exit status for the whole fleet, as one unsharded \
            run would give. A host found in two inputs is an error naming both files.
            """)

    @Argument(help: ArgumentHelp("The --json outputs of the shard runs.", valueName: "result.json"))
    var results: [String]

    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions

    func validate() throws {
        guard !results.isEmpty else { throw ValidationError("give at least one --json report to merge") }
        try InputPath.check(results.map { InputPath.problem($0, "<result.json>") })
    }

    func run() async throws {
        fileMode.apply()
        let run: VerifyRun
        do { run = try MergeJob.merge(paths: results) } catch let e as MergeJob.Failure {
            if case .unreadable = e { throw Failure("merge: \(e)", .localIO) }
            throw Failure("merge: \(e)", .usage)
        }
        try finish(run, reports: reports, prometheus: nil)
    }
}
