import ArgumentParser
import Config
import Engine
import Foundation
import Model
import Report

/// `postpatch assess`: what each host is missing, how severe and how old, whether it waits for a
/// reboot or runs replaced code, and the fleet's compliance line, with no baseline (docs/patch.md).
struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Print the fleet's patch state without a baseline: missing fixes by severity and age, reboot and not-in-effect state, worst hosts first.",
        discussion: """
            Captures the hosts (or reads --from DIR's snapshot files) and builds each host's patch record. \
            First-seen dates of pending security fixes are kept in the baselines folder's first-seen/. \
            Exit codes: 0 every host compliant; 1 a host is not compliant (or a finding at --fail-on); \
            3 a host could not be assessed; 4 a report file could not be written; 2 usage.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var baselineOptions: BaselineOptions
    @OptionGroup var reports: ReportOptions
    @OptionGroup var fileMode: FileModeOptions

    @Option(help: ArgumentHelp("Read snapshot files (<host>.json, as snapshot --out or baseline write them) from this folder instead of capturing.", valueName: "dir"))
    var from: String?

    @Option(help: ArgumentHelp("Write Prometheus textfile metrics here (atomically).", valueName: "file"))
    var prometheus: String?

    @Argument(help: "Hosts: config names, [user@]host[:port], or `local`. None: every host of the config (with --from: every file).")
    var hosts: [String] = []

    func validate() throws {
        try InputPath.check(InputPath.problem(from, "--from", folders: true), OutputPath.problem(prometheus, "--prometheus"))
        if let from {
            var d: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from, isDirectory: &d), d.boolValue else {
                throw ValidationError("--from \(InputPath.shown(from)) is not a folder: give the folder snapshot --out or baseline wrote")
            }
        }
    }

    func run() async throws {
        fileMode.apply()
        var run: VerifyRun
        if let from {
            run = try readFolder(from)
        } else {
            let config = try connection.loadConfig(hostsGiven: !hosts.isEmpty)
            let targets = try connection.targets(hosts, config: config)
            let connector = try connection.connector(for: targets)
            let store = baselineOptions.store()
            try prepare(store)
            let settings = capture.settings(outputCap: connection.outputCap, checks: targets, baselines: store.directory)
            let progress = ProgressLine("assess", total: targets.count, parallel: connection.parallel)
            run = await AssessJob.run(targets: targets, connector: connector, settings: settings, parallel: connection.parallel) {
                progress.hostDone(failed: $0.error != nil)
            }
            progress.finish()
        }
        run.hosts = Self.worstFirst(run.hosts)
        run.complianceGates = true
        try finish(run, reports: reports, prometheus: prometheus, exitStatus: AssessJob.exitStatus)
    }

    /// Hosts not assessed first (they need attention), then by their records, worst first.
    static func worstFirst(_ hosts: [HostVerdict]) -> [HostVerdict] {
        hosts.enumerated().sorted { a, b in
            switch (a.element.patch, b.element.patch) {
            case (nil, .some): return true
            case (.some, nil): return false
            case let (x?, y?):
                if PatchRecord.worseFirst(x, y) { return true }
                if PatchRecord.worseFirst(y, x) { return false }
            case (nil, nil): break
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Every `<host>.json` of the folder (or the named hosts' files), with the config's rules
    /// for each host when a config is given.
    private func readFolder(_ dir: String) throws -> VerifyRun {
        let config: ConfigFile? = connection.configPath == nil ? nil : try connection.loadConfig(hostsGiven: true)
        let names: [String]
        if hosts.isEmpty {
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dir)
                    .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            } catch { throw Failure("cannot list \(dir): \(error.localizedDescription)", .usage) }
        } else {
            names = hosts.map(BaselineStore.fileName(for:))
        }
        var verdicts: [HostVerdict] = []
        for name in names {
            let path = dir + "/" + name
            let host = String(name.dropLast(5))
            guard FileManager.default.fileExists(atPath: path) else {
                verdicts.append(HostVerdict(host: host, error: "no snapshot \(path): capture one with `postpatch snapshot --out \(dir) \(host)`"))
                continue
            }
            let snapshot: Snapshot
            do { snapshot = try readSnapshot(path) } catch {
                verdicts.append(HostVerdict(host: host, error: "\(error)"))
                continue
            }
            var rules = CompareRules()
            if let config {
                do { rules = try config.resolve(names: [snapshot.host], group: nil).first?.rules ?? CompareRules() } catch {
                    throw Failure("\(error)", .usage)
                }
            }
            verdicts.append(AssessJob.verdict(snapshot, rules: rules))
        }
        if verdicts.isEmpty { throw Failure("--from \(dir) holds no <host>.json snapshot: write some with `postpatch snapshot --out \(dir)`", .usage) }
        return VerifyRun(startedAt: Date(), durationSeconds: 0, hosts: verdicts)
    }
}
