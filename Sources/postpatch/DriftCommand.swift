import ArgumentParser
import Engine
import Foundation
import Model

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Verify against stored baselines on a schedule; optionally write node_exporter textfile metrics.",
        discussion: "Same findings and exit codes as verify. See the README for a systemd timer and a cron line.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var baselineOptions: BaselineOptions
    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions

    @Option(help: ArgumentHelp("Write Prometheus textfile metrics here (atomically), e.g. /var/lib/prometheus/node-exporter/postpatch.prom.", valueName: "file"))
    var prometheus: String?

    @OptionGroup var settle: SettleOptions

    @Argument(help: "Hosts: config names, [user@]host[:port], or `local`. None: every host of the config.")
    var hosts: [String] = []

    func validate() throws { try InputPath.check(OutputPath.problem(prometheus, "--prometheus")) }

    func run() async throws {
        fileMode.apply()
        let run = try await verifyRun("drift", connection: connection, capture: capture, baselines: baselineOptions,
                                     settle: try settle.duration(), hosts: hosts)
        try finish(run, reports: reports, prometheus: prometheus)
    }
}
