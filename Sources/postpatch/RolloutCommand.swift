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

    @Option(help: ArgumentHelp("Groups to patch, in order, comma-separated (e.g. canary,web,db); default: the config's rollout.waves.", valueName: "groups"))
    var waves: String?

    @Option(name: .customLong("patch-command"), help: ArgumentHelp("Shell command that patches one host (run on it, through sudo when the host has it).", valueName: "cmd"))
    var patchCommand: String?

    @Option(name: .customLong("pre-command"), help: ArgumentHelp("Shell command run here before each wave (env POSTPATCH_WAVE, POSTPATCH_HOSTS); non-zero stops the rollout.", valueName: "cmd"))
    var preCommand: String?

    @Flag(help: "Reboot every patched host and wait for it; `--reboot if-required`: only hosts that say they need it.")
    var reboot = false

    /// The optional word after --reboot. ArgumentParser has no options with an optional value,
    /// so `--reboot if-required` parses as the flag plus this (hidden) argument.
    @Argument(help: .hidden)
    var rebootWhen: [String] = []

    @Option(name: .customLong("reboot-timeout"), help: ArgumentHelp("Seconds a host may take to come back after a reboot.", valueName: "seconds"))
    var rebootTimeout: Double?

    @Option(help: ArgumentHelp("Seconds verify keeps re-capturing a host whose regressions may be a service still starting.", valueName: "seconds"))
    var settle: Double?

    @Option(name: .customLong("baseline-max-age"), help: ArgumentHelp("A baseline older than this is taken again before the wave.", valueName: "seconds"))
    var baselineMaxAge: Double?

    @Option(name: .customLong("max-failures"), help: ArgumentHelp("Failed hosts a wave tolerates: a count or a percentage (10%).", valueName: "n"))
    var maxFailures: String?

    @Option(name: .customLong("from-wave"), help: ArgumentHelp("Resume: skip the waves before this one.", valueName: "name"))
    var fromWave: String?

    @Option(help: ArgumentHelp("Folder that receives one run folder per rollout.", valueName: "dir"))
    var runs = "runs"

    @Flag(name: .customLong("restart-outdated"), help: "After the patch, restart the units still running code it replaced (not the deny-list of docs/rollout.md; sshd last), then verify.")
    var restartOutdated = false

    @Flag(name: .customLong("dry-run"), help: "Print the plan (waves, hosts, commands) and touch nothing.")
    var dryRun = false

    func validate() throws {
        if !rebootWhen.isEmpty {
            guard reboot, rebootWhen.count == 1, ["always", "if-required"].contains(rebootWhen[0]) else {
                throw ValidationError("unexpected argument \(rebootWhen.joined(separator: " ")): rollout takes its hosts from --waves; --reboot takes an optional always or if-required")
            }
        }
        if let maxFailures, FailureBudget.parse(maxFailures) == nil { throw ValidationError("--max-failures takes a count (2) or a percentage (10%)") }
        if let rebootTimeout, !(rebootTimeout > 0 && rebootTimeout <= 86_400) { throw ValidationError("--reboot-timeout must be 1 to 86400 seconds") }
        if let settle, !(settle >= 0 && settle <= 3600) { throw ValidationError("--settle must be 0 to 3600 seconds") }
        if let baselineMaxAge, !(baselineMaxAge >= 0) { throw ValidationError("--baseline-max-age must be 0 or more seconds") }
        guard connection.group == nil else { throw ValidationError("--group does not apply to rollout: name the groups with --waves") }
    }

    func run() async throws {
        fileMode.apply()
        let config = try connection.loadConfig(hostsGiven: true)
        // Flags win; the config's `rollout:` section gives the defaults.
        let defaults = config.rollout
        let names = waves.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            ?? defaults.waves
        guard !names.isEmpty else { throw Failure("no waves: give --waves canary,web,db or rollout.waves in \(config.path)", .usage) }
        let patchCommand = self.patchCommand ?? defaults.patchCommand
        guard patchCommand != nil || dryRun else {
            throw Failure("no patch command: give --patch-command or rollout.patch_command in \(config.path)", .usage)
        }
        let maxFailuresText = maxFailures ?? defaults.maxFailures ?? "0"
        guard let budget = FailureBudget.parse(maxFailuresText) else {
            throw Failure("rollout.max_failures in \(config.path) takes a count (2) or a percentage (10%), got \(maxFailuresText)", .usage)
        }
        let rebootTimeout = self.rebootTimeout ?? defaults.rebootTimeout ?? 600
        let settle = self.settle ?? defaults.settle ?? 0
        let baselineMaxAge = self.baselineMaxAge ?? defaults.baselineMaxAge ?? 86_400
        let rebootPolicy = reboot ? self.rebootPolicy : (defaults.reboot.flatMap(RebootPolicy.init) ?? .never)
        let preCommand = self.preCommand ?? defaults.preCommand
        if connection.inventory == nil {
            for n in names where !config.groupNames.contains(n) {
                throw Failure("wave \(n) is not a group of \(config.path): groups are \(config.groupNames.joined(separator: ", "))", .usage)
            }
        }
        var plan = RolloutPlan(
            waves: try names.map { RolloutWave(name: $0, targets: try targets(inGroup: $0, config: config)) },
            patchCommand: patchCommand ?? "", preCommand: preCommand, reboot: rebootPolicy,
            rebootTimeout: .milliseconds(Int64(rebootTimeout * 1000)), settle: .milliseconds(Int64(settle * 1000)),
            baselineMaxAge: baselineMaxAge, maxFailures: budget)
        plan.restartOutdated = restartOutdated || defaults.restartOutdated == true
        plan.restartDeny = defaults.restartDeny
        do {
            if dryRun && plan.patchCommand.isEmpty { plan.patchCommand = "(none given)" }
            try plan.validate()
            if let fromWave { plan = try plan.starting(from: fromWave) }
        } catch let e as RolloutPlan.PlanError {
            throw Failure(e.description, .usage)
        }
        if dryRun {
            writeOut(plan.dryRunText())
            return
        }
        let all = plan.waves.flatMap(\.targets)
        let connector = try connection.connector(for: all)
        let settings = RolloutJob.Settings(capture: capture.settings(outputCap: connection.outputCap, checks: all),
                                           parallel: connection.parallel, runsRoot: runs)
        let store = baselineOptions.store()
        try prepare(store)
        let lock = try await lockFolder(store.directory)
        defer { lock.release() }
        let started = ContinuousClock.now
        let terminal = isatty(2) == 1
        let report: RolloutReport
        do {
            report = try await RolloutJob.run(plan, connector: connector, store: store, settings: settings, progress: { p in
                guard terminal else { return }
                let elapsed = Double((ContinuousClock.now - started).components.seconds)
                FileHandle.standardError.write(Data("\rwave \(p.wave) \(p.name): \(p.done)/\(p.total) hosts done, \(p.failed) failed, \(Int(elapsed)) s  \u{1B}[K".utf8))
            }, onWave: { w in
                if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                writeOut(RolloutReport.line(w) + "\n")
            })
        } catch let e as RolloutJob.RunFolderError {
            throw Failure(e.description, .localIO)
        }
        for name in report.skipped { writeOut("wave \(name): not started (rollout halted)\n") }
        writeOut((report.haltReason.map { "rollout halted: \($0)" } ?? RolloutReport.complete(report.waves)) + "\n")
        writeOut("run folder: \(report.runFolder)\n")
        for e in report.ioErrors { printError(e) }
        let status = report.exitStatus
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    var rebootPolicy: RebootPolicy {
        guard reboot else { return .never }
        return rebootWhen.first.flatMap(RebootPolicy.init) ?? .always
    }

    /// The hosts of one wave: the shared resolution (config, inventory, ssh_config, flags) with
    /// the wave's name as the group.
    private func targets(inGroup name: String, config: ConfigFile) throws -> [HostTarget] {
        var options = connection
        options.group = name
        return try options.targets([], config: config)
    }
}
