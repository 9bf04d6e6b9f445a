import ArgumentParser
import Engine
import Foundation
import Model
import Report

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Capture hosts again, diff against their baselines, classify and report every change.",
        discussion: """
        Exit codes: 0 no regression; 1 at least one regression (or warning with --fail-on warning); \
        3 some host could not be checked (unreachable, no baseline) and no regression elsewhere; 2 usage or config error.
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var baselineOptions: BaselineOptions
    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions

    @OptionGroup var settle: SettleOptions

    @Argument(help: "Hosts: config names, [user@]host[:port], or `local`. None: every host of the config.")
    var hosts: [String] = []

    func run() async throws {
        fileMode.apply()
        let run = try await verifyRun("verify", connection: connection, capture: capture, baselines: baselineOptions,
                                     settle: try settle.duration(), hosts: hosts)
        try finish(run, reports: reports, prometheus: nil)
    }
}

/// Shared by verify and drift: capture, diff, classify.
func verifyRun(_ label: String, connection: ConnectionOptions, capture: CaptureOptions, baselines: BaselineOptions,
               settle: Duration, hosts: [String]) async throws -> VerifyRun {
    let config = try connection.loadConfig(hostsGiven: !hosts.isEmpty)
    let targets = try connection.targets(hosts, config: config)
    let connector = try connection.connector(for: targets)
    let settings = VerifyJob.Settings(capture: capture.settings(outputCap: connection.outputCap, checks: targets,
                                                                       baselines: baselines.baselines),
                                      settle: settle)
    let progress = ProgressLine(label, total: targets.count, parallel: connection.parallel)
    defer { progress.finish() }
    return await VerifyJob.run(targets: targets, connector: connector, store: baselines.store(), settings: settings,
                               parallel: connection.parallel) { progress.hostDone(failed: $0.error != nil || $0.count(.regression) > 0) }
}

/// Prints the terminal report, writes the report files and exits with the run's status
/// (`exitStatus`: verify's by default; assess's is compliance).
func finish(_ run: VerifyRun, reports: ReportOptions, prometheus: String?,
            exitStatus: (VerifyRun, Severity) -> ExitStatus = VerifyJob.exitStatus) throws {
    let text = TerminalReport.render(run, color: useColor, verbose: reports.verbose)
    writeOut(text.hasSuffix("\n") ? text : text + "\n")
    let errors = reports.files(prometheus: prometheus).write(run, localHostname: ProcessInfo.processInfo.hostName)
    for e in errors { printError(e) }
    let status = exitStatus(run, reports.failOn.severity)
    if status != .ok { throw ExitCode(status.rawValue) }
    if !errors.isEmpty { throw ExitCode(ExitStatus.localIO.rawValue) }
}
