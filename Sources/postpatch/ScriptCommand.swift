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
        The script is read-only, runs under dash and busybox ash, bounds each step with `timeout`, \
        and is sent on stdin (`sh -s`). The section nonce printed here is an example: each capture \
        draws a new one.
        """)

    @Option(name: .customLong("config"), help: ArgumentHelp("Config file whose checks go into the script.", valueName: "file"))
    var configPath: String?

    @Option(help: ArgumentHelp("Take the checks of this host in the config.", valueName: "host"))
    var host: String?

    @OptionGroup var capture: CaptureOptions

    func run() async throws {
        var checks = CheckSet()
        if let host {
            do {
                let config = try ConfigFile.forCommandLine(configPath: configPath, hostsGiven: true)
                checks = try config.resolve(names: [host], group: nil).first?.checks ?? CheckSet()
            } catch {
                throw Failure("\(error)", .usage)
            }
        }
        let settings = capture.settings(outputCap: 1, checks: [])
        writeOut(CollectorScript.render(checks: checks, options: settings.script, nonce: "0123456789abcdef0123456789abcdef"))
    }
}
