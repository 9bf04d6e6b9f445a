import ArgumentParser
import Collect
import Engine
import Foundation
import Model

/// Options of commands that capture snapshots.
struct CaptureOptions: ParsableArguments {
    @Flag(name: .long, help: "Refresh package lists on the host first (apt-get update / dnf makecache): network traffic from the host, root needed.")
    var refresh = false

    @Flag(name: .customLong("skip-pending-updates"), help: "Do not ask the package manager for pending updates (the costliest step: ~2 s of host CPU with apt).")
    var skipPendingUpdates = false

    @Option(name: .customLong("step-timeout"), help: ArgumentHelp("Seconds each collector step may run on the host.", valueName: "seconds"))
    var stepTimeout = ScriptOptions.defaultStepTimeout

    @Option(name: .customLong("updates-timeout"), help: ArgumentHelp("Seconds the pending-updates query may run on the host (a package manager on a host being patched is slow).", valueName: "seconds"))
    var updatesTimeout = ScriptOptions.defaultUpdatesTimeout

    func validate() throws {
        for (name, value) in [("--step-timeout", stepTimeout), ("--updates-timeout", updatesTimeout)] where !(1...86_400).contains(value) {
            throw ValidationError("\(name) takes whole seconds from 1 to 86400, got \(value)")
        }
    }

    func settings(outputCap: Int, checks: [HostTarget]) -> Capture.Settings {
        // Only the variables the checks name are passed on: database passwords.
        let names = Set(checks.flatMap { $0.checks.databases.compactMap(\.passwordEnv) })
        let env = ProcessInfo.processInfo.environment.filter { names.contains($0.key) }
        return Capture.Settings(script: ScriptOptions(refresh: refresh, stepTimeout: stepTimeout, pendingUpdates: !skipPendingUpdates,
                                                                   updatesTimeout: updatesTimeout),
                                environment: env, outputCap: outputCap)
    }
}

/// Where baselines live.
struct BaselineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Baselines folder.", valueName: "dir"))
    var baselines = "baselines"

    func store(keep: Int = 0) -> BaselineStore { BaselineStore(directory: baselines, keep: keep) }
}

/// Report files and how findings gate the exit code.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write JUnit XML (one testsuite per host, one testcase per checked item).", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a Markdown report (pull-request comments, CI job summaries).", valueName: "file"))
    var markdown: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write all findings as JSON (docs/reports.md).", valueName: "file"))
    var json: String?

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Lowest severity that fails the run: regression or warning.", valueName: "severity"))
    var failOn: String = "regression"

    @Flag(name: .shortAndLong, help: "Show info findings too, and before/after values.")
    var verbose = false

    func validate() throws {
        guard ["regression", "warning"].contains(failOn) else { throw ValidationError("--fail-on takes regression or warning") }
    }

    var failSeverity: Severity { failOn == "warning" ? .warning : .regression }

    func files(prometheus: String? = nil) -> ReportFiles {
        ReportFiles(junit: junit, markdown: markdown, html: html, json: json, prometheus: prometheus)
    }
}

/// Colours only on a terminal, and never with NO_COLOR set (https://no-color.org).
var useColor: Bool {
    isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
}

func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
