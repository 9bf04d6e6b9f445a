import Compare
import Foundation
import Model
import Report

/// `postpatch rollout`: wave after wave, least critical first: fresh baselines, the control
/// machine's pre-command, the patch command on every host, reboots, verify; the first wave
/// with a regression or too many failed hosts halts it, and later waves are left untouched.
public enum RolloutJob {
    public struct Settings: Sendable {
        public var capture: Capture.Settings
        public var parallel: Int
        /// The run folder's parent: each run writes `<runsRoot>/<UTC timestamp>/`.
        public var runsRoot: String
        /// Time between reconnection attempts while a host reboots.
        public var pollInterval: Duration
        public var localHostname: String
        public init(capture: Capture.Settings, parallel: Int, runsRoot: String, pollInterval: Duration = .seconds(2),
                    localHostname: String = ProcessInfo.processInfo.hostName) {
            self.capture = capture
            self.parallel = parallel
            self.runsRoot = runsRoot
            self.pollInterval = pollInterval
            self.localHostname = localHostname
        }
    }

    /// Progress while a wave runs: wave index (1-based), name, hosts done, total, failed so far.
    public struct Progress: Sendable {
        public var wave: Int
        public var name: String
        public var done: Int
        public var total: Int
        public var failed: Int
        public var step: String
    }

    public struct RunFolderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs the plan. Throws only when the run folder cannot be created (nothing touched yet).
    public static func run(_ plan: RolloutPlan, connector: Connector, store: BaselineStore, settings: Settings,
                           now: Date = Date(), progress: (@Sendable (Progress) -> Void)? = nil,
                           onWave: (@Sendable (RolloutWaveReport) -> Void)? = nil) async throws -> RolloutReport {
        let folder = "\(settings.runsRoot)/\(timestamp(now))"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try store.prepare()
        } catch {
            throw RunFolderError(description: "cannot create the run folder \(folder) or the baselines folder \(store.directory): \(error); check the path and its permissions, or use --runs DIR")
        }
        var report = RolloutReport(runFolder: folder, startedAt: now, waves: [], skipped: [], haltReason: nil, ioErrors: [])
        var pinned = plan.patchSet
        for (i, wave) in plan.waves.enumerated() {
            var pin = PinState(pinned: pinned, records: plan.pin && pinned == nil)
            var w = await runWave(wave, index: i + 1, plan: plan, connector: connector, store: store, settings: settings,
                                  folder: folder, progress: progress, pin: &pin, ioErrors: &report.ioErrors)
            if pin.records && w.haltReason == nil {
                // --pin: what the first wave's patch changed is what every later wave installs.
                do {
                    let set = PatchSet(createdAt: now, wave: wave.name, hosts: pin.recorded, packages: try PatchSetPlan.merge(pin.recorded))
                    try AtomicFile.write(try PrettyJSONEncoder().encode(set) + Data("\n".utf8), to: folder + "/patch-set.json")
                    pinned = set
                } catch {
                    w.haltReason = "wave \(wave.name): cannot pin its patch set: \(error)"
                }
            }
            report.waves.append(w)
            onWave?(w)
            if let reason = w.haltReason {
                report.haltReason = reason
                report.skipped = plan.waves[(i + 1)...].map(\.name)
                break
            }
        }
        do { try AtomicFile.write(Data(RolloutSummaryMarkdown.render(report.summary).utf8), to: folder + "/summary.md") } catch {
            report.ioErrors.append("\(error)")
        }
        return report
    }

    /// One wave, its steps in ``RolloutWaveRun``; the files it could not write join `ioErrors`.
    static func runWave(_ wave: RolloutWave, index: Int, plan: RolloutPlan, connector: Connector, store: BaselineStore,
                        settings: Settings, folder: String, progress: (@Sendable (Progress) -> Void)?,
                        pin: inout PinState, ioErrors: inout [String]) async -> RolloutWaveReport {
        var run = RolloutWaveRun(wave: wave, index: index, plan: plan, connector: connector, store: store,
                                 settings: settings, runFolder: folder, progress: progress)
        run.pinned = pin.pinned
        run.recordsPatchSet = pin.records
        let report = await run.run()
        pin.recorded = run.recorded
        ioErrors += run.ioErrors
        return report
    }

    /// `--pin` across waves: the set a wave installs, or whether it records one.
    struct PinState {
        var pinned: PatchSet?
        var records: Bool
        var recorded: [PatchSet.Host] = []
    }

    static func now() -> Date { Date() }

    /// 20261121T133000Z: sorts in time order, no colons (safe in every file system).
    public static func timestamp(_ date: Date) -> String {
        ISO8601.string(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}
