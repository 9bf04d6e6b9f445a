import ArgumentParser
import Engine

/// Where baselines live.
struct BaselineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Baselines folder.", valueName: "dir"))
    var baselines = "baselines"

    func validate() throws {
        if baselines.isEmpty { throw ValidationError("--baselines is empty: give a folder, or leave it out for ./baselines") }
        try InputPath.check(InputPath.problem(baselines, "--baselines", folders: true))
    }

    func store(keep: Int = 0) -> BaselineStore { BaselineStore(directory: baselines, keep: keep) }
}
