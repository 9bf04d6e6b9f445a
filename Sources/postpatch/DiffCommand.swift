import ArgumentParser
import Config
import Engine
import Foundation
import Model
import Report
import Compare

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Diff two snapshot files (or two folders of them) offline and report, as verify does.",
        discussion: """
            Exit codes as for verify. With two folders (e.g. a copy of baselines/ taken before a patch \
            window and one after), each <host>.json of NEW is compared with the same name in OLD; a \
            host in only one folder is reported as not checked.
            """)

    @Argument(help: "The baseline snapshot file, or a folder of them.") var old: String
    @Argument(help: "The newer snapshot file, or a folder of them.") var new: String
    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions

    @Option(name: .customLong("config"), help: ArgumentHelp("Config whose ignore/policy rules apply (those of the snapshot's host).", valueName: "file"))
    var configPath: String?

    func validate() throws {
        try InputPath.check(InputPath.problem(old, "<old>", folders: true), InputPath.problem(new, "<new>", folders: true),
                            InputPath.problem(configPath, "--config"))
    }

    func run() async throws {
        fileMode.apply()
        let config: ConfigFile?
        do { config = try configPath.map { try ConfigFile.load(path: $0) } } catch { throw Failure("\(error)", .usage) }
        let rules: @Sendable (String) throws -> CompareRules = { host in
            guard let config else { return CompareRules() }
            do { return try config.resolve(names: [host], group: nil).first?.rules ?? CompareRules() } catch {
                throw Failure("\(error)", .usage)
            }
        }
        switch (isFolder(old), isFolder(new)) {
        case (false, false):
            let a = try readSnapshot(old)
            let b = try readSnapshot(new)
            try finish(VerifyJob.diff(baseline: a, current: b, rules: try rules(b.host)), reports: reports, prometheus: nil)
        case (true, true):
            try finish(try diffFolders(rules: rules), reports: reports, prometheus: nil)
        default:
            throw Failure("diff: give two snapshot files or two folders of them, not one of each", .usage)
        }
    }

    private func isFolder(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    /// Pairs OLD/<name>.json with NEW/<name>.json. Pairs are read, decoded and compared on every
    /// core, each pair's snapshots dropped once compared: memory holds verdicts, not snapshots.
    private func diffFolders(rules: @escaping @Sendable (String) throws -> CompareRules) throws -> VerifyRun {
        func names(_ dir: String) throws -> Set<String> {
            do {
                return Set(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") })
            } catch { throw Failure("cannot list \(dir): \(error.localizedDescription)", .usage) }
        }
        let (oldNames, newNames) = (try names(old), try names(new))
        let all = oldNames.union(newNames).sorted()
        let (old, new) = (self.old, self.new)
        let started = ContinuousClock.now
        let slots = VerdictSlots(count: all.count)
        DispatchQueue.concurrentPerform(iterations: all.count) { i in
            let name = all[i]
            let host = String(name.dropLast(5))
            guard oldNames.contains(name) else {
                slots.set(i, .success(Differ.unchecked(host: host, error: "no baseline \(old)/\(name) for \(new)/\(name)")))
                return
            }
            guard newNames.contains(name) else {
                slots.set(i, .success(Differ.unchecked(host: host, error: "no snapshot \(new)/\(name) for the baseline \(old)/\(name)")))
                return
            }
            let a: Snapshot, b: Snapshot
            do {
                a = try readSnapshot(old + "/" + name)
                b = try readSnapshot(new + "/" + name)
            } catch {
                slots.set(i, .success(Differ.unchecked(host: host, error: "\(error)")))
                return
            }
            do {
                // Labelled by the file's name: two files holding one host's snapshot stay two rows.
                var verdict = Differ.compare(baseline: a, current: b, rules: try rules(b.host))
                verdict.host = b.host == host ? host : "\(host) (\(name): a snapshot of \(b.host))"
                slots.set(i, .success(verdict))
            } catch { slots.set(i, .failure(error)) }
        }
        let hosts = try slots.all()
        writeErr("diff: \(all.count) hosts: read, decoded and compared in \(String(format: "%.3f", started.duration(to: .now).inSeconds)) s\n")
        return VerifyRun(startedAt: Date(), durationSeconds: 0, hosts: hosts)
    }
}

/// One slot per host for the concurrent work of a folder diff.
final class VerdictSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<HostVerdict, Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<HostVerdict, Error>) { lock.withLock { slots[i] = r } }
    /// Every verdict in order; the first error (a bad config) is thrown.
    func all() throws -> [HostVerdict] { try lock.withLock { try slots.map { try $0!.get() } } }
}

func readSnapshot(_ path: String) throws -> Snapshot {
    let data: Data
    do { data = try SnapshotCoding.read(path: path) } catch { throw Failure("\(error)", .usage) }
    do { return try SnapshotCoding.decode(data) } catch {
        throw Failure("\(path): \(error)", .usage)
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a readable summary of one snapshot file.")

    @Argument(help: "A snapshot file (baselines/<host>.json or postpatch snapshot output).") var file: String

    func validate() throws { try InputPath.check(InputPath.problem(file, "<file>")) }

    func run() async throws {
        writeOut(SnapshotSummary.render(try readSnapshot(file), color: useColor))
    }
}
