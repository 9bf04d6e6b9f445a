import ArgumentParser
import Engine

/// Where baselines live.
struct BaselineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Baselines folder.", valueName: "dir"))
    var baselines = "baselines"

    func store(keep: Int = 0) -> BaselineStore { BaselineStore(directory: baselines, keep: keep) }
}
