import ArgumentParser
import Engine
import Foundation
import Model
import Report

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo what changed since the baseline (packages through the host's manager, units), then verify the undo.",
        discussion: """
        Per host: a fresh capture against the baseline gives the plan (upgraded → downgraded to the baseline version, \
        installed since → removed, removed since → reinstalled), printed first; the transaction's output goes to \
        <runs>/<UTC timestamp>/patch/. Then units active in the baseline are started, units running replaced code \
        restarted, a reboot per --reboot, and verify against the baseline gives each host a verdict: restored, \
        restored-with-differences or not-restored. See docs/rollout.md. \
        Exit codes: 0 every host restored; 1 a host not restored; 5 versions restored, something else differs; \
        3 a host could not be reached; 2 usage; 4 a local file could not be written. With --dry-run: 0 every \
        host planned, 1 a plan refused, 3 a host not planned.
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var baselineOptions: BaselineOptions
    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions
    @OptionGroup var settle: SettleOptions

    /// A value is required (no bare `--reboot` as rollout has): the hosts are positional, and a
    /// bare flag would take a wrong word after it for a host.
    @Option(help: ArgumentHelp("never, always (every rolled-back host) or if-required (hosts that say they need it); default never.",
                               valueName: "when"))
    var reboot: RebootPolicy?

    @Option(name: .customLong("reboot-timeout"), help: ArgumentHelp("Seconds (1 to 86400) a host may take to come back after a reboot.", valueName: "seconds"))
    var rebootTimeout: Double?

    @Option(help: ArgumentHelp("Folder that receives one run folder per rollback (the transaction logs).", valueName: "dir"))
    var runs = "runs"

    @Flag(name: .customLong("dry-run"), help: "Print each host's plan and the command it would run; change nothing.")
    var dryRun = false

    @Argument(help: "Hosts: config names, [user@]host[:port], or `local`. None: every host of the config.")
    var hosts: [String] = []

    func validate() throws {
        try FlagRange.check(FlagRange.problem(rebootTimeout, "--reboot-timeout", RolloutOptions.rebootTimeoutRange))
    }

    func run() async throws {
        fileMode.apply()
        let config = try connection.loadConfig(hostsGiven: !hosts.isEmpty)
        let targets = try connection.targets(hosts, config: config)
        let connector = try connection.connector(for: targets)
        let folder = "\(runs)/\(RolloutJob.timestamp(Date()))"
        let settings = RollbackJob.Settings(
            capture: capture.settings(outputCap: connection.outputCap, checks: targets), reboot: reboot ?? .never,
            rebootTimeout: try FlagRange.duration(rebootTimeout ?? 600, "--reboot-timeout", RolloutOptions.rebootTimeoutRange),
            settle: try settle.duration(), restartDeny: config.rollout.restartDeny, folder: folder)
        let store = baselineOptions.store()
        let plans = await RollbackJob.plan(targets: targets, connector: connector, store: store, settings: settings,
                                           parallel: connection.parallel)
        writeOut(plans.flatMap { $0.lines }.map { TerminalReport.visible($0) + "\n" }.joined())
        if dryRun {
            let status = RollbackJob.exitStatus(plans)
            if status != .ok { throw ExitCode(status.rawValue) }
            return
        }
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw Failure("cannot create the run folder \(folder): \(error); check the path and its permissions, or use --runs DIR", .localIO)
        }
        let progress = ProgressLine("rollback", total: targets.count, parallel: connection.parallel)
        let run = await RollbackJob.execute(plans, connector: connector, store: store, settings: settings, parallel: connection.parallel) {
            progress.hostDone(failed: $0.rollback?.verdict != .restored)
        }
        progress.finish()
        let text = TerminalReport.render(run.verify, color: useColor, verbose: reports.verbose)
        writeOut(text.hasSuffix("\n") ? text : text + "\n")
        for p in plans {
            guard let t = run.timings[p.target.name] else { continue }
            writeOut(String(format: "%@: plan %.1f s, transaction %.1f s, verify %.1f s\n", p.target.name, t.plan, t.transaction, t.verify))
        }
        writeOut("run folder: \(folder)\n")
        let errors = reports.files().write(run.verify, localHostname: ProcessInfo.processInfo.hostName)
        for e in errors { printError(e) }
        let status = RollbackJob.exitStatus(run.verify)
        if status != .ok { throw ExitCode(status.rawValue) }
        if !errors.isEmpty { throw ExitCode(ExitStatus.localIO.rawValue) }
    }
}
