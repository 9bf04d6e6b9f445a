import ArgumentParser
import Config
import Engine
import Foundation
import Model
import Report

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Diff two snapshot files offline and report, as verify does.",
        discussion: "Exit codes as for verify.")

    @Argument(help: "The baseline snapshot file.") var old: String
    @Argument(help: "The newer snapshot file.") var new: String
    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions

    @Option(name: .customLong("config"), help: ArgumentHelp("Config whose ignore/policy rules apply (those of the snapshot's host).", valueName: "file"))
    var configPath: String?

    func run() async throws {
        fileMode.apply()
        let a = try readSnapshot(old)
        let b = try readSnapshot(new)
        var rules = CompareRules()
        if let configPath {
            do {
                let config = try ConfigFile.load(path: configPath)
                rules = try config.resolve(names: [b.host], group: nil).first?.rules ?? rules
            } catch {
                throw Failure("\(error)", .usage)
            }
        }
        try finish(VerifyJob.diff(baseline: a, current: b, rules: rules), reports: reports, prometheus: nil)
    }
}

func readSnapshot(_ path: String) throws -> Snapshot {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw Failure("cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")", .usage)
    }
    do { return try SnapshotCoding.decode(data) } catch {
        throw Failure("\(path): \(error)", .usage)
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a readable summary of one snapshot file.")

    @Argument(help: "A snapshot file (baselines/<host>.json or postpatch snapshot output).") var file: String

    func run() async throws {
        writeOut(SnapshotSummary.render(try readSnapshot(file), color: useColor))
    }
}
