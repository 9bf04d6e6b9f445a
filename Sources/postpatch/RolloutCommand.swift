import ArgumentParser
import Config
import Engine
import Foundation
import Model

struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Patch in waves, least critical first: baseline, patch, reboot, verify each wave; halt on a regression.",
        discussion: """
        Each wave is a config group (or an inventory group with --inventory), in --waves order. A wave's reports, \
        patch logs and the run's summary.md go to <runs>/<UTC timestamp>/. See docs/rollout.md. \
        Exit codes: 0 every wave passed; 1 halted on a regression or failed hosts; 3 only unreachable hosts; \
        2 usage; 4 a local file could not be written.
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var baselineOptions: BaselineOptions
    @OptionGroup var fileMode: FileModeOptions
    @OptionGroup var options: RolloutOptions

    /// Words no option took: rollout has no positional arguments, and a wrong word after
    /// `--reboot` lands here too (ArgumentParser then takes `--reboot` as the bare flag).
    @Argument(help: .hidden)
    var unexpected: [String] = []

    func validate() throws {
        if let word = unexpected.first {
            throw ValidationError("unexpected argument \(word): rollout takes its hosts from --waves, and --reboot takes never, always or if-required")
        }
        guard connection.group == nil else { throw ValidationError("--group does not apply to rollout: name the groups with --waves") }
    }

    func run() async throws {
        fileMode.apply()
        let config = try connection.loadConfig(hostsGiven: true)
        let plan = try plan(config: config)
        if options.dryRun {
            writeOut(plan.dryRunText())
            return
        }
        let all = plan.waves.flatMap(\.targets)
        let connector = try connection.connector(for: all)
        let settings = RolloutJob.Settings(capture: capture.settings(outputCap: connection.outputCap, checks: all,
                                                                            baselines: baselineOptions.baselines),
                                           parallel: connection.parallel, runsRoot: options.runs)
        let store = baselineOptions.store()
        try prepare(store)
        let lock = try await lockFolder(store.directory)
        defer { lock.release() }
        let report = try await run(plan, connector: connector, store: store, settings: settings)
        for name in report.skipped { writeOut("wave \(name): not started (rollout halted)\n") }
        writeOut((report.haltReason.map { "rollout halted: \($0)" } ?? RolloutReport.complete(report.waves)) + "\n")
        writeOut("run folder: \(report.runFolder)\n")
        for e in report.ioErrors { printError(e) }
        let status = report.exitStatus
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    /// Flags over the config's `rollout:` section, each wave's hosts resolved, checked whole.
    private func plan(config: ConfigFile) throws -> RolloutPlan {
        var (names, plan) = try options.plan(defaults: config.rollout, config: config.path)
        if connection.inventory == nil {
            for n in names where !config.groupNames.contains(n) {
                throw Failure("--waves: \(n) is not a group of \(config.path): groups are \(config.groupNames.joined(separator: ", "))", .usage)
            }
        }
        plan.waves = try names.map { RolloutWave(name: $0, targets: try targets(inGroup: $0, config: config)) }
        do {
            try plan.validate()
            if let fromWave = options.fromWave { plan = try plan.starting(from: fromWave) }
        } catch let e as RolloutPlan.PlanError {
            throw Failure(e.description, .usage)
        }
        return plan
    }

    /// Runs the waves, with a live line on a terminal and one line per finished wave.
    private func run(_ plan: RolloutPlan, connector: Connector, store: BaselineStore, settings: RolloutJob.Settings) async throws -> RolloutReport {
        let started = ContinuousClock.now
        let terminal = isatty(2) == 1
        do {
            return try await RolloutJob.run(plan, connector: connector, store: store, settings: settings, progress: { p in
                guard terminal else { return }
                let elapsed = Int(started.duration(to: .now).inSeconds)
                writeErr("\rwave \(p.wave) \(p.name): \(p.done)/\(p.total) hosts done, \(p.failed) failed, \(elapsed) s  \u{1B}[K")
            }, onWave: { w in
                if terminal { writeErr("\r\u{1B}[K") }
                writeOut(RolloutReport.line(w) + "\n")
            })
        } catch let e as RolloutJob.RunFolderError {
            throw Failure(e.description, .localIO)
        }
    }

    /// The hosts of one wave: the shared resolution (config, inventory, ssh_config, flags) with
    /// the wave's name as the group.
    private func targets(inGroup name: String, config: ConfigFile) throws -> [HostTarget] {
        var wave = connection
        wave.group = name
        return try wave.targets([], config: config)
    }
}
