import ArgumentParser
import Collect
import Config
import Engine
import Foundation
import Model

struct ScriptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script",
        abstract: "Print the exact POSIX sh script a capture runs on a host, to audit it.",
        discussion: """
        The script is read-only, runs under dash and busybox ash, bounds each command that waits \
        on a daemon, a disk or the network with `timeout` (reads of /proc and netlink dumps cannot \
        be ended by it), and is sent on stdin (`sh -s`). The section nonce printed here is an example: each capture \
        draws a new one.
        """)

    @Option(name: .customLong("config"), help: ArgumentHelp("Config file whose checks go into the script.", valueName: "file"))
    var configPath: String?

    @Option(help: ArgumentHelp("Take the checks of this host in the config.", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("Print the script as verify and drift run it against a baseline captured at this time "
                               + "(ISO 8601, e.g. 2026-12-07T10:00:00Z): with the step that reads the package log since then.",
                               valueName: "time"))
    var since: String?

    @OptionGroup var capture: CaptureOptions

    func validate() throws {
        try InputPath.check(InputPath.problem(configPath, "--config"))
        if let since, sinceDate == nil {
            throw ValidationError("--since is not an ISO 8601 time from 1970 to 9999: give one such as 2026-12-07T10:00:00Z")
        }
        if host?.isEmpty == true { throw ValidationError("--host is empty: give a host name of the config") }
    }

    /// --host's checks; with --config alone, those every host of it shares (the file is read
    /// and checked either way: a missing or broken --config is exit 2, not ignored).
    private func checks() throws -> CheckSet {
        guard host != nil || configPath != nil else { return CheckSet() }
        do {
            let config = try ConfigFile.forCommandLine(configPath: configPath, hostsGiven: true)
            if let host { return try config.resolve(names: [host], group: nil).first?.checks ?? CheckSet() }
            let all = try config.resolve(names: [], group: nil).map(\.checks)
            guard let first = all.first else { return CheckSet() }
            guard all.allSatisfy({ $0 == first }) else {
                throw Failure("the hosts of \(configPath ?? "the config") check different things: give --host NAME for one of them", .usage)
            }
            return first
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("\(error)", .usage)
        }
    }

    /// --since as a date, years 1970 to 9999 (a time the host's `date -d @N` can print).
    private var sinceDate: Date? {
        guard let since, since.utf8.count <= 64, let date = ISO8601.date(since),
              (0...253_402_300_799).contains(date.timeIntervalSince1970) else { return nil }
        return date
    }

    func run() async throws {
        let checks = try self.checks()
        var settings = capture.settings(outputCap: 1, checks: [])
        settings.script.transactionsSince = sinceDate
        writeOut(CollectorScript.render(checks: checks, options: settings.script, nonce: "0123456789abcdef0123456789abcdef"))
    }
}
