import Foundation
import Model

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
        for (i, wave) in plan.waves.enumerated() {
            let w = await runWave(wave, index: i + 1, plan: plan, connector: connector, store: store, settings: settings,
                                  folder: folder, progress: progress, ioErrors: &report.ioErrors)
            report.waves.append(w)
            onWave?(w)
            if let reason = w.haltReason {
                report.haltReason = reason
                report.skipped = plan.waves[(i + 1)...].map(\.name)
                break
            }
        }
        do { try AtomicFile.write(Data(report.markdown().utf8), to: folder + "/summary.md") } catch {
            report.ioErrors.append("\(error)")
        }
        return report
    }

    static func runWave(_ wave: RolloutWave, index: Int, plan: RolloutPlan, connector: Connector, store: BaselineStore,
                        settings: Settings, folder: String, progress: (@Sendable (Progress) -> Void)?,
                        ioErrors: inout [String]) async -> RolloutWaveReport {
        let clock = ContinuousClock.now
        let waveFolder = "\(folder)/wave-\(index)-\(BaselineStore.fileName(for: wave.name).dropLast(5))"
        var report = RolloutWaveReport(index: index, name: wave.name, hosts: wave.targets.map { RolloutHostOutcome(host: $0.name) },
                                       verify: nil, haltReason: nil, folder: waveFolder, durationSeconds: 0)
        func finish() -> RolloutWaveReport {
            report.durationSeconds = clock.duration(to: .now).inSeconds
            return report
        }
        do { try FileManager.default.createDirectory(atPath: waveFolder + "/patch", withIntermediateDirectories: true) } catch {
            ioErrors.append("cannot create \(waveFolder): \(error)")
        }
        let total = wave.targets.count
        let tick = Counter()
        let name = wave.name
        let emit: @Sendable (String, Bool) -> Void = { step, failed in
            let (done, f) = tick.add(failed: failed)
            progress?(Progress(wave: index, name: name, done: done, total: total, failed: f, step: step))
        }

        progress?(Progress(wave: index, name: name, done: 0, total: total, failed: 0, step: "baseline"))

        // 1. Fresh baselines: missing or older than the limit are taken now.
        let stale = wave.targets.filter { t in
            guard let b = try? store.read(host: t.name) else { return true }
            return now().timeIntervalSince(b.capturedAt) > plan.baselineMaxAge
        }
        let taken = await BaselineJob.run(targets: stale, connector: connector, store: store, settings: settings.capture,
                                          parallel: settings.parallel)
        for o in taken where o.error != nil {
            guard let k = report.hosts.firstIndex(where: { $0.host == o.target.name }) else { continue }
            report.hosts[k].failure = "baseline: \(o.error ?? "")"
            report.hosts[k].unreachable = o.unreachable
            emit("baseline", true)
        }

        // 2. The control machine's pre-command.
        if let pre = plan.preCommand {
            let names = wave.targets.map(\.name).joined(separator: " ")
            let command = "POSTPATCH_WAVE=\(shellQuote(wave.name)) POSTPATCH_HOSTS=\(shellQuote(names)); export POSTPATCH_WAVE POSTPATCH_HOSTS; \(pre)"
            let r = try? await LocalTransport().run(command, stdin: [], timeout: .seconds(3600), outputCap: 16 << 20)
            let text = r.map { String(decoding: $0.stdout + $0.stderr, as: UTF8.self) } ?? ""
            try? AtomicFile.write(Data("$ \(pre)\n\(text)--- exit status \(r?.exitStatus ?? -1)\n".utf8), to: waveFolder + "/pre-command.log")
            if r?.exitStatus != 0 {
                report.preCommandFailed = true
                report.haltReason = "wave \(wave.name): the pre-command failed (exit status \(r?.exitStatus ?? -1)), wave not patched; output in \(waveFolder)/pre-command.log"
                return finish()
            }
        }

        // 3-4. Patch, reboot.
        let ready = wave.targets.filter { t in report.hosts.first { $0.host == t.name }?.failure == nil }
        let hostSettings = RolloutHost.Settings(patchCommand: plan.patchCommand, reboot: plan.reboot, rebootTimeout: plan.rebootTimeout,
                                                pollInterval: settings.pollInterval, capture: settings.capture,
                                                outputCap: settings.capture.outputCap, logFolder: waveFolder + "/patch",
                                                restartOutdated: plan.restartOutdated, restartDeny: plan.restartDeny,
                                                restartFolder: waveFolder + "/restart")
        let outcomes = await Fleet.run(ready, parallel: settings.parallel, onDone: { _, o in
            if o.failure != nil { emit("patch", true) }
        }) { t in
            await RolloutHost.run(t, connector: connector, settings: hostSettings)
        }
        for o in outcomes {
            if let k = report.hosts.firstIndex(where: { $0.host == o.host }) { report.hosts[k] = o }
        }

        // 5. Verify the hosts that came through, and the wave's reports.
        let toVerify = wave.targets.filter { t in report.hosts.first { $0.host == t.name }?.failure == nil }
        if !toVerify.isEmpty {
            let vs = VerifyJob.Settings(capture: settings.capture, settle: plan.settle)
            let run = await VerifyJob.run(targets: toVerify, connector: connector, store: store, settings: vs,
                                          parallel: settings.parallel, onDone: { v in emit("verify", v.error != nil) })
            report.verify = run
            let files = ReportFiles(junit: waveFolder + "/report.xml", markdown: waveFolder + "/report.md", json: waveFolder + "/findings.json")
            ioErrors += files.write(run, localHostname: settings.localHostname)
        }

        // 6. Halt?
        report.haltReason = RolloutPlan.haltReason(wave: wave.name, hosts: total, failed: report.failed,
                                                   regressions: report.regressions, budget: plan.maxFailures)
        return finish()
    }

    static func now() -> Date { Date() }

    /// 20261121T133000Z: sorts in time order, no colons (safe in every file system).
    static func timestamp(_ date: Date) -> String {
        ISO8601.string(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Hosts done and failed in a wave, counted from concurrent host tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var failed = 0
    func add(failed f: Bool) -> (Int, Int) {
        lock.withLock {
            done += 1
            if f { failed += 1 }
            return (done, failed)
        }
    }
}
