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

    func validate() throws {
        guard let out else { return }
        guard !out.isEmpty else { throw ValidationError("--out is empty: give a folder (it is created if missing)") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--out \(InputPath.shown(out)) exists and is not a folder: --out takes a folder "
                + "that receives one <host>.json per host (it is created if missing)")
        }
    }

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
        // With --out each snapshot is written as soon as it is taken and then dropped: a run over
        // a thousand hosts holds a line of outcome per host, not a thousand snapshots.
        let outcomes = await Fleet.run(targets, parallel: connection.parallel, onDone: { _, o in
            progress.hostDone(failed: o.error != nil)
        }) { target -> SnapshotOutcome in
            switch await Capture.snapshot(target, connector: connector, settings: settings) {
            case let .failure(e):
                return SnapshotOutcome(error: e.description, status: .unreachable)
            case let .success(snapshot):
                guard let store else { return SnapshotOutcome(snapshot: snapshot) }
                do {
                    try store.write(snapshot)
                    return SnapshotOutcome()
                } catch {
                    return SnapshotOutcome(error: "\(error)", status: .localIO)
                }
            }
        }
        progress.finish()
        var status = ExitStatus.ok
        for o in outcomes {
            if let error = o.error {
                printError(error)
                if status == .ok || o.status == .localIO { status = o.status }
            } else if let snapshot = o.snapshot {
                writeOut(String(decoding: try SnapshotCoding.encode(snapshot), as: UTF8.self))
            }
        }
        if let out { writeErr("snapshot: \(outcomes.filter { $0.error == nil }.count) of \(targets.count) hosts written to \(out)/\n") }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

func prepare(_ store: BaselineStore) throws {
    do { try store.prepare() } catch { throw Failure("\(error)", .localIO) }
}

/// One host's result in `postpatch snapshot`: the snapshot itself only when it is printed.
struct SnapshotOutcome: Sendable {
    var snapshot: Snapshot?
    var error: String?
    var status = ExitStatus.ok
}
