import ArgumentParser
import Engine
import Model

/// Report files and how findings gate the exit code: verify, drift and diff.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write JUnit XML (one testsuite per host, one testcase per checked item).", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a Markdown report (pull-request comments, CI job summaries).", valueName: "file"))
    var markdown: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write all findings as JSON (docs/reports.md).", valueName: "file"))
    var json: String?

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Lowest severity that fails the run.", valueName: "severity"))
    var failOn: FailOn = .regression

    @Flag(name: .shortAndLong, help: "Show info findings too, and before/after values.")
    var verbose = false

    func validate() throws {
        try InputPath.check(OutputPath.problem(junit, "--junit"), OutputPath.problem(markdown, "--markdown"),
                            OutputPath.problem(html, "--html"), OutputPath.problem(json, "--json"))
    }

    func files(prometheus: String? = nil) -> ReportFiles {
        ReportFiles(junit: junit, markdown: markdown, html: html, json: json, prometheus: prometheus)
    }
}

/// `--fail-on`: the severities that may fail a run (info never does).
enum FailOn: String, CaseIterable, ExpressibleByArgument {
    case regression, warning

    var severity: Severity {
        switch self {
        case .regression: .regression
        case .warning: .warning
        }
    }
}
