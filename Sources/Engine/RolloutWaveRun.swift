import Collect
import Compare
import Foundation
import Model
import SSH

/// One wave of a rollout, one method per step: fresh baselines, the control machine's
/// pre-command, patch and reboot, verify, halt. Each step reads and extends `report`; a host
/// that failed a step (its `failure` set) is left out of the later ones.
struct RolloutWaveRun {
    let wave: RolloutWave
    let index: Int
    let plan: RolloutPlan
    let connector: Connector
    let store: BaselineStore
    let settings: RolloutJob.Settings
    /// `<run folder>/wave-<index>-<name>`.
    let folder: String
    let progress: (@Sendable (RolloutJob.Progress) -> Void)?
    private let tick = Counter()
    private let started = ContinuousClock.now
    private(set) var report: RolloutWaveReport
    /// Files of the run folder that could not be written, in the order they failed.
    private(set) var ioErrors: [String] = []
    /// `--pin`: the set this wave installs instead of the patch command (a later wave).
    var pinned: PatchSet?
    /// `--pin`: this wave records what its patch changed on each host (the first wave).
    var recordsPatchSet = false
    /// What this wave's patch changed per host, when it records (``recordsPatchSet``).
    private(set) var recorded: [PatchSet.Host] = []
    /// Per host, the pinned transaction it ran: verify checks the versions it asked for.
    private var pinnedExpected: [String: [PackageChange]] = [:]

    init(wave: RolloutWave, index: Int, plan: RolloutPlan, connector: Connector, store: BaselineStore,
         settings: RolloutJob.Settings, runFolder: String, progress: (@Sendable (RolloutJob.Progress) -> Void)?) {
        self.wave = wave
        self.index = index
        self.plan = plan
        self.connector = connector
        self.store = store
        self.settings = settings
        self.folder = "\(runFolder)/wave-\(index)-\(BaselineStore.fileName(for: wave.name).dropLast(5))"
        self.progress = progress
        self.report = RolloutWaveReport(index: index, name: wave.name, hosts: wave.targets.map { RolloutHostOutcome(host: $0.name) },
                                        verify: nil, haltReason: nil, folder: folder, durationSeconds: 0)
    }

    /// All steps in order; a failed pre-command ends the wave before anything is patched.
    mutating func run() async -> RolloutWaveReport {
        do { try FileManager.default.createDirectory(atPath: folder + "/patch", withIntermediateDirectories: true) } catch {
            ioErrors.append("cannot create \(folder): \(error)")
        }
        progress?(RolloutJob.Progress(wave: index, name: wave.name, done: 0, total: wave.targets.count, failed: 0, step: "baseline"))
        await takeStaleBaselines()
        preflight()
        if await runPreCommand() {
            await patchAndReboot()
            await verify()
            decideHalt()
            if report.haltReason != nil && plan.onHalt == .rollback { await rollBack() }
        }
        report.durationSeconds = started.duration(to: .now).inSeconds
        return report
    }

    /// One host finished a step; `failed` when it failed it.
    private var emit: @Sendable (String, Bool) -> Void {
        let (tick, progress, index, name, total) = (tick, progress, index, wave.name, wave.targets.count)
        return { step, failed in
            let (done, f) = tick.add(failed: failed)
            progress?(RolloutJob.Progress(wave: index, name: name, done: done, total: total, failed: f, step: step))
        }
    }

    /// The wave's hosts that have not failed a step so far.
    private var healthy: [HostTarget] {
        wave.targets.filter { t in report.hosts.first { $0.host == t.name }?.failure == nil }
    }

    /// 1. Fresh baselines: missing or older than the limit are taken now.
    private mutating func takeStaleBaselines() async {
        let stale = wave.targets.filter { [store, plan] t in
            guard let b = try? store.read(host: t.name) else { return true }
            return RolloutJob.now().timeIntervalSince(b.capturedAt) > plan.baselineMaxAge
        }
        let taken = await BaselineJob.run(targets: stale, connector: connector, store: store, settings: settings.capture,
                                          parallel: settings.parallel)
        for o in taken where o.error != nil {
            guard let k = report.hosts.firstIndex(where: { $0.host == o.target.name }) else { continue }
            report.hosts[k].failure = "baseline: \(o.error ?? "")"
            report.hosts[k].unreachable = o.unreachable
            emit("baseline", true)
        }
    }

    /// 1b. The rollback preflight of each host's baseline: the pending updates it could not
    /// roll back, named in the wave's line and the summary (a warning: the wave goes on). With
    /// `policy: { rollback-unavailable: regression }` the host is not patched: a failed host.
    private mutating func preflight() {
        for t in healthy {
            guard let baseline = try? store.read(host: t.name) else { continue }
            let findings = RollbackPreflightDiff.findings(snapshot: baseline, rules: t.rules)
            report.rollbackUnavailable += RollbackPreflightDiff.lines(findings).map { "\(t.name): \($0)" }
            let refused = findings.filter { $0.severity == .regression }
            guard !refused.isEmpty, let k = report.hosts.firstIndex(where: { $0.host == t.name }) else { continue }
            report.hosts[k].failure = "rollback preflight: \(refused.count) pending update\(refused.count == 1 ? "" : "s") cannot be rolled back ("
                + refused.prefix(5).map(\.subject).joined(separator: ", ") + (refused.count > 5 ? ", …" : "")
                + ") and policy makes rollback-unavailable a regression: host not patched"
            emit("baseline", true)
        }
    }

    /// 2. The control machine's pre-command, told the wave and its hosts in the environment.
    /// False when it failed: the wave halts unpatched.
    private mutating func runPreCommand() async -> Bool {
        guard let pre = plan.preCommand else { return true }
        let names = wave.targets.map(\.name).joined(separator: " ")
        let command = "POSTPATCH_WAVE=\(ShellQuote.quote(wave.name)) POSTPATCH_HOSTS=\(ShellQuote.quote(names)); export POSTPATCH_WAVE POSTPATCH_HOSTS; \(pre)"
        let r = try? await LocalTransport().run(command, stdin: [], timeout: .seconds(3600), outputCap: 16 << 20)
        let text = r.map { String(decoding: $0.stdout + $0.stderr, as: UTF8.self) } ?? ""
        try? AtomicFile.write(Data("$ \(pre)\n\(text)--- exit status \(r?.exitStatus ?? -1)\n".utf8), to: folder + "/pre-command.log")
        guard r?.exitStatus != 0 else { return true }
        report.preCommandFailed = true
        report.haltReason = "wave \(wave.name): the pre-command failed (exit status \(r?.exitStatus ?? -1)), wave not patched; output in \(folder)/pre-command.log"
        return false
    }

    /// 3-4. Patch, reboot: every healthy host, `parallel` at a time.
    private mutating func patchAndReboot() async {
        let hostSettings = RolloutHost.Settings(plan: plan, capture: settings.capture, pollInterval: settings.pollInterval,
                                                waveFolder: folder)
        let emit = emit
        let connector = connector
        // --pin: each host's command is the set's transaction for it, or why it has none.
        var commands: [String: Result<String, PinRefusal>] = [:]
        if let pinned {
            for t in healthy {
                let r = pinnedCommand(pinned, for: t)
                commands[t.name] = r.map(\.0)
                if case let .success((_, expected)) = r { pinnedExpected[t.name] = expected }
            }
        }
        let perHost = commands
        let outcomes = await Fleet.run(healthy, parallel: settings.parallel, onDone: { (_, o: RolloutHostOutcome) in
            if o.failure != nil { emit("patch", true) }
        }) { (t: HostTarget) async -> RolloutHostOutcome in
            var s = hostSettings
            switch perHost[t.name] {
            case nil: break
            case let .success(command)?: s.plan.patchCommand = command
            case let .failure(refusal)?:
                return RolloutHostOutcome(host: t.name, failure: refusal.description)
            }
            var outcome = await RolloutHost.run(t, connector: connector, settings: s)
            if perHost[t.name] != nil, let f = outcome.failure, f.hasPrefix("patch command failed") {
                outcome.failure = "pinned patch set not installed (a pinned version is not obtainable, or the manager refused the set): "
                    + f.dropFirst("patch command failed ".count)
            }
            return outcome
        }
        for o in outcomes {
            if let k = report.hosts.firstIndex(where: { $0.host == o.host }) { report.hosts[k] = o }
        }
    }

    /// 5. Verify the hosts that came through, and the wave's reports.
    private mutating func verify() async {
        let toVerify = healthy
        guard !toVerify.isEmpty else { return }
        let vs = VerifyJob.Settings(capture: settings.capture, settle: plan.settle)
        let emit = emit
        let packages = PackagesBox()
        let wantsPackages = recordsPatchSet || pinned != nil
        var keep: (@Sendable (String, Snapshot) -> Void)?
        if wantsPackages { keep = { (host: String, snap: Snapshot) in packages.set(host, snap.packages) } }
        var run = await VerifyJob.run(targets: toVerify, connector: connector, store: store, settings: vs,
                                      parallel: settings.parallel, onDone: { v in emit("verify", v.error != nil) },
                                      onSnapshot: keep)
        if recordsPatchSet {
            recorded = toVerify.compactMap { t in
                guard let after = packages.get(t.name), let before = try? store.read(host: t.name) else { return nil }
                return PatchSet.Host(host: t.name, changes: PatchSetPlan.changes(before: before.packages, after: after))
            }
        }
        if pinned != nil {
            for (k, v) in run.hosts.enumerated() where v.error == nil {
                guard let expected = pinnedExpected[v.host], let now = packages.get(v.host) else { continue }
                let found = PatchSetPlan.mismatches(host: v.host, expected: expected, installed: now)
                run.hosts[k].items.append(CheckedItem(category: .section(.packages), subject: "pinned patch set (\(expected.count))", findings: found))
            }
        }
        report.verify = run
        let files = ReportFiles(junit: folder + "/report.xml", markdown: folder + "/report.md", json: folder + "/findings.json")
        ioErrors += files.write(run, localHostname: settings.localHostname)
    }

    /// 7. `--on-halt rollback`: the hosts this wave patched, back to their baselines and
    /// verified (logs and reports in `<wave>/rollback/`). The rollout still halts. A host whose
    /// patch command ran and failed is rolled back too: a failed upgrade may have changed half
    /// of what it meant to (with nothing changed, its plan is empty and verify says so).
    private mutating func rollBack() async {
        let patched = wave.targets.filter { t in
            guard let h = report.hosts.first(where: { $0.host == t.name }) else { return false }
            return h.patched || h.failure?.hasPrefix("patch command") == true
        }
        guard !patched.isEmpty else { return }
        let rs = RollbackJob.Settings(capture: settings.capture, reboot: plan.reboot, rebootTimeout: plan.rebootTimeout,
                                      settle: plan.settle, restartDeny: plan.restartDeny, pollInterval: settings.pollInterval,
                                      folder: folder + "/rollback")
        progress?(RolloutJob.Progress(wave: index, name: wave.name, done: 0, total: patched.count, failed: 0, step: "rollback"))
        let plans = await RollbackJob.plan(targets: patched, connector: connector, store: store, settings: rs, parallel: settings.parallel)
        let text = plans.flatMap(\.lines).joined(separator: "\n") + "\n"
        try? FileManager.default.createDirectory(atPath: rs.folder, withIntermediateDirectories: true)
        if (try? AtomicFile.write(Data(text.utf8), to: rs.folder + "/plan.txt")) == nil { ioErrors.append("cannot write \(rs.folder)/plan.txt") }
        let run = await RollbackJob.execute(plans, connector: connector, store: store, settings: rs, parallel: settings.parallel)
        report.rollback = run.verify
        let files = ReportFiles(junit: rs.folder + "/report.xml", markdown: rs.folder + "/report.md", json: rs.folder + "/findings.json")
        ioErrors += files.write(run.verify, localHostname: settings.localHostname)
    }

    /// `--pin`: the manager command that brings `t` (its baseline's packages) to the set, and
    /// the changes it asks for; a refusal when the host has no baseline, no package manager
    /// known, or a value outside its manager's grammar.
    private func pinnedCommand(_ set: PatchSet, for t: HostTarget) -> Result<(String, [PackageChange]), PinRefusal> {
        guard let baseline = try? store.read(host: t.name) else { return .failure(PinRefusal("pinned patch set: no baseline of \(t.name) to compare it with")) }
        let changes = PatchSetPlan.transaction(set: set.packages, installed: baseline.packages)
        guard !changes.isEmpty else { return .success((":", [])) }
        guard let manager = baseline.packages.first?.manager else {
            return .failure(PinRefusal("pinned patch set: \(t.name)'s baseline lists no package, so its package manager is unknown"))
        }
        do {
            return .success((try PackageTransactionCommand.command(changes, manager: manager, tool: baseline.lastPackageTransaction?.tool), changes))
        } catch {
            return .failure(PinRefusal("pinned patch set: \(error)"))
        }
    }

    /// 6. Halt? A regression, or more failed hosts than the plan allows.
    private mutating func decideHalt() {
        report.haltReason = RolloutPlan.haltReason(wave: wave.name, hosts: wave.targets.count, failed: report.failed,
                                                   regressions: report.regressions, budget: plan.maxFailures)
    }
}

/// Why a host cannot take the pinned patch set: its failure in the wave.
struct PinRefusal: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The packages of each host's verify capture, gathered from concurrent host tasks (`--pin`).
final class PackagesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var byHost: [String: [InstalledPackage]] = [:]
    func set(_ host: String, _ packages: [InstalledPackage]) { lock.withLock { byHost[host] = packages } }
    func get(_ host: String) -> [InstalledPackage]? { lock.withLock { byHost[host] } }
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
