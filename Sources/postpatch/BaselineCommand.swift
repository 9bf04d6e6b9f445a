import ArgumentParser
import Compare
import Engine
import Foundation
import Model

struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Capture hosts into baselines/<host>.json (atomically; a failed capture keeps the old baseline).",
        discussion: "Exit codes: 0 every baseline written; 1 a declared command or HTTP check failed its expectation (a regression: the baseline is still written); 3 some host could not be captured (its old baseline is untouched); 4 a file could not be written; 2 usage.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var baselineOptions: BaselineOptions
    @OptionGroup var fileMode: FileModeOptions

    @Option(help: ArgumentHelp("Keep this many previous baselines per host in <baselines>/history/.", valueName: "n"))
    var keep = 0

    @Argument(help: "Hosts: [user@]host[:port], config names, or `local`. None: every host of the config.")
    var hosts: [String] = []

    func validate() throws {
        try FlagRange.check(FlagRange.problem(keep, "--keep", 0...100_000, unit: "baselines"))
    }

    func run() async throws {
        fileMode.apply()
        let config = try connection.loadConfig(hostsGiven: !hosts.isEmpty)
        let targets = try connection.targets(hosts, config: config)
        let connector = try connection.connector(for: targets)
        let store = baselineOptions.store(keep: keep)
        try prepare(store)
        let lock = try await lockFolder(store.directory)
        defer { lock.release() }
        let progress = ProgressLine("baseline", total: targets.count, parallel: connection.parallel)
        let outcomes = await BaselineJob.run(targets: targets, connector: connector, store: store,
                                             settings: capture.settings(outputCap: connection.outputCap, checks: targets,
                                                                        baselines: store.directory),
                                             parallel: connection.parallel) { progress.hostDone(failed: $0.error != nil) }
        progress.finish()
        for o in outcomes {
            if let written = o.written, let c = o.counts {
                writeOut("baseline \(o.target.name): \(c.services) services, \(c.sockets) sockets, \(c.packages) packages -> \(written)\n")
            } else if let error = o.error {
                printError(error + " (previous baseline kept)")
            }
            for f in o.failures + o.warnings.prefix(RollbackPreflightDiff.shownPerHost) {
                writeOut("  \(f.severity.rawValue)  \(f.category.rawValue)  \(f.subject)  \(f.message)\n")
            }
            if let more = RollbackPreflightDiff.lines(o.warnings).dropFirst(RollbackPreflightDiff.shownPerHost).first {
                writeOut("  warning  updates  \(more)\n")
            }
        }
        let ok = outcomes.filter { $0.written != nil }.count
        writeOut("baseline: \(ok) of \(outcomes.count) hosts written to \(store.directory)/\n")
        let failed = outcomes.reduce(0) { $0 + $1.failures.filter { $0.severity == .regression }.count }
        if failed > 0 {
            writeOut("baseline: \(failed) declared expectation\(failed == 1 ? "" : "s") failed (regression; baselines written as captured)\n")
        }
        let status = BaselineJob.exitStatus(outcomes)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

func lockFolder(_ dir: String) async throws -> FolderLock {
    do {
        return try await FolderLock.acquire(folder: dir, wait: .seconds(600)) { printError($0) }
    } catch {
        throw Failure("\(error)", .localIO)
    }
}
