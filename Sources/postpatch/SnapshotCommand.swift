import ArgumentParser
import Engine
import Foundation
import Model

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Capture hosts and print one snapshot as JSON, or write DIR/<host>.json per host.",
        discussion: "Exit codes as for exec: 3 when a host could not be captured (the others are still written).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var fileMode: FileModeOptions

    @Option(help: ArgumentHelp("Write one <host>.json per host here instead of printing.", valueName: "dir"))
    var out: String?

    @Argument(help: "Hosts: [user@]host[:port], config names, or `local`. None: every host of the config.")
    var hosts: [String] = []

    func run() async throws {
        fileMode.apply()
        let config = try connection.loadConfig(hostsGiven: !hosts.isEmpty)
        let targets = try connection.targets(hosts, config: config)
        if out == nil && targets.count > 1 {
            throw Failure("\(targets.count) hosts and no --out: give --out DIR to write one file per host, or name one host", .usage)
        }
        let connector = try connection.connector(for: targets)
        let settings = capture.settings(outputCap: connection.outputCap, checks: targets)
        let store = out.map { BaselineStore(directory: $0) }
        if let store { try prepare(store) }
        let progress = ProgressLine("snapshot", total: targets.count, parallel: connection.parallel)
        let results = await Fleet.run(targets, parallel: connection.parallel, onDone: { _, r in
            progress.hostDone(failed: (try? r.get()) == nil)
        }) { target in
            await Capture.snapshot(target, connector: connector, settings: settings)
        }
        progress.finish()
        var status = ExitStatus.ok
        for (target, result) in zip(targets, results) {
            switch result {
            case let .failure(e):
                printError(e.description)
                status = .unreachable
            case let .success(snapshot):
                if let store {
                    do { try store.write(snapshot) } catch {
                        printError("\(error)")
                        status = .localIO
                    }
                } else {
                    writeOut(String(decoding: try SnapshotCoding.encode(snapshot), as: UTF8.self))
                }
                _ = target
            }
        }
        if let out { FileHandle.standardError.write(Data("snapshot: \(results.filter { (try? $0.get()) != nil }.count) of \(targets.count) hosts written to \(out)/\n".utf8)) }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

func prepare(_ store: BaselineStore) throws {
    do { try store.prepare() } catch { throw Failure("\(error)", .localIO) }
}
