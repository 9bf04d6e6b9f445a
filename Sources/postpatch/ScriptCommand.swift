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

    @OptionGroup var capture: CaptureOptions

    func validate() throws {
        try InputPath.check(InputPath.problem(configPath, "--config"))
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

    func run() async throws {
        let checks = try self.checks()
        let settings = capture.settings(outputCap: 1, checks: [])
        writeOut(CollectorScript.render(checks: checks, options: settings.script, nonce: "0123456789abcdef0123456789abcdef"))
    }
}
