import Compare
import Foundation
import Model
import SSH

/// The per-host steps of a wave: run the patch command (its output kept in the run folder),
/// then (with `--restart-outdated`) restart the units still running replaced code, or reboot
/// and wait for the host to come back with a new boot id.
enum RolloutHost {
    struct Settings: Sendable {
        /// The commands, the reboot policy and timeout, and what to restart.
        var plan: RolloutPlan
        var capture: Capture.Settings
        var pollInterval: Duration
        var waveFolder: String
        var logFolder: String { waveFolder + "/patch" }
        var restartFolder: String { waveFolder + "/restart" }
        var hostPreFolder: String { waveFolder + "/host-pre-command" }
        var hostPostFolder: String { waveFolder + "/host-post-command" }
        var outputCap: Int { capture.outputCap }
    }

    /// The host's steps, then `--host-post-command` over a new connection (the host may have
    /// rebooted) once the patch went through.
    static func run(_ target: HostTarget, connector: Connector, settings s: Settings) async -> RolloutHostOutcome {
        var outcome = await patchAndReboot(target, connector: connector, settings: s)
        guard outcome.failure == nil, outcome.patched, let post = s.plan.hostPostCommand else { return outcome }
        let transport: HostTransport
        do { transport = try await connector.connect(target) } catch {
            outcome.failure = "cannot connect to run the host post-command: \(error)"
            outcome.unreachable = (error as? SSHError)?.isUnreachable ?? true
            return outcome
        }
        if let (failure, unreachable) = await runLogged(post, what: "host post-command", target, over: transport,
                                                        folder: s.hostPostFolder, outputCap: s.outputCap) {
            outcome.failure = failure
            outcome.unreachable = unreachable
        }
        await transport.close()
        return outcome
    }

    static func patchAndReboot(_ target: HostTarget, connector: Connector, settings s: Settings) async -> RolloutHostOutcome {
        var outcome = RolloutHostOutcome(host: target.name)
        let transport: HostTransport
        do { transport = try await connector.connect(target) } catch {
            outcome.failure = "cannot connect to patch: \(error)"
            outcome.unreachable = (error as? SSHError)?.isUnreachable ?? true
            return outcome
        }
        if let (failure, unreachable) = await preAndPatch(target, over: transport, settings: s) {
            await transport.close()
            outcome.failure = failure
            outcome.unreachable = unreachable
            return outcome
        }
        outcome.patched = true

        // After the patch: one capture answers both "reboot?" (if-required) and "restart what?".
        var after: Snapshot?
        if s.plan.reboot == .ifRequired || s.plan.restartOutdated {
            switch await Capture.snapshot(target, over: transport, settings: s.capture) {
            case let .success(snap): after = snap
            case let .failure(e):
                await transport.close()
                outcome.failure = "after the patch, cannot tell whether a reboot or restart is required: \(e.description)"
                outcome.unreachable = e.unreachable
                return outcome
            }
        }
        // Units PostPatch refuses to restart are reboot reasons too: only a reboot puts the
        // patch in effect for them (RestartPolicy).
        let unitReasons = after.map { RestartPolicy.rebootReasons($0.outdated, deny: s.plan.restartDeny) } ?? []
        outcome.rebootReasons = (after?.system.rebootReasons ?? []) + unitReasons
        let wantsReboot = s.plan.reboot == .always
            || (s.plan.reboot == .ifRequired && (after?.system.rebootRequired == true || !unitReasons.isEmpty))
        guard wantsReboot else {
            if let after { await restartWithoutReboot(after, target: target, over: transport, settings: s, into: &outcome) }
            await transport.close()
            return outcome
        }
        if let failure = await reboot(target, over: transport, connector: connector, settings: s) {
            outcome.failure = failure
        } else {
            outcome.rebooted = true
            // A fresh boot runs the patched code; verify, next, checks it.
            outcome.notInEffect = []
        }
        return outcome
    }

    /// The host pre-command (drain it, stop a batch job), then the patch command. Nil when both
    /// exited 0; else the failure (a failed pre-command leaves the host unpatched) and whether
    /// the host became unreachable.
    static func preAndPatch(_ target: HostTarget, over transport: HostTransport, settings s: Settings) async -> (String, Bool)? {
        if let pre = s.plan.hostPreCommand,
           let (failure, unreachable) = await runLogged(pre, what: "host pre-command", target, over: transport,
                                                        folder: s.hostPreFolder, outputCap: s.outputCap) {
            return (failure + " (host not patched)", unreachable)
        }
        return await patch(target, over: transport, settings: s)
    }

    /// No reboot: the outdated units restarted (with `--restart-outdated`), then what still runs
    /// replaced code measured again, not assumed (a restarted unit may still map old code).
    static func restartWithoutReboot(_ after: Snapshot, target: HostTarget, over transport: HostTransport, settings s: Settings,
                                     into outcome: inout RolloutHostOutcome) async {
        var final = after
        if s.plan.restartOutdated {
            let (restarted, acted) = await restart(final, target: target, over: transport, settings: s)
            outcome.restarted = restarted
            if acted {
                switch await Capture.snapshot(target, over: transport, settings: s.capture) {
                case let .success(snap): final = snap
                case let .failure(e):
                    outcome.notInEffect = ["after the restarts, cannot tell what still runs replaced code: \(e.description)"]
                    return
                }
            }
        }
        outcome.notInEffect = RestartOutdated.notInEffect(final, deny: s.plan.restartDeny)
    }

    /// Runs the patch command, its output kept in the run folder. Nil when it exited 0, else
    /// the failure and whether the host became unreachable.
    static func patch(_ target: HostTarget, over transport: HostTransport, settings s: Settings) async -> (String, Bool)? {
        await runLogged(s.plan.patchCommand, what: "patch command", target, over: transport, folder: s.logFolder, outputCap: s.outputCap)
    }

    /// Runs one command on the host (bounded by its command timeout, through sudo when the host
    /// has it), its output kept in `<folder>/<host>.log`. Nil when it exited 0, else the failure
    /// and whether the host became unreachable.
    static func runLogged(_ command: String, what: String, _ target: HostTarget, over transport: HostTransport,
                          folder: String, outputCap: Int) async -> (String, Bool)? {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = logPath(folder, target)
        do {
            let r = try await transport.run(command, for: target, outputCap: outputCap)
            let status = r.exitSignal.map { "killed by SIG\($0)" } ?? "exit status \(r.exitStatus ?? -1)"
            var text = "$ \(command)\n"
            text += String(decoding: r.stdout, as: UTF8.self)
            if !r.stderr.isEmpty { text += "--- stderr\n" + String(decoding: r.stderr, as: UTF8.self) }
            text += (text.hasSuffix("\n") ? "" : "\n") + "--- \(status)\n"
            try? AtomicFile.write(Data(text.utf8), to: log)
            return r.exitStatus == 0 ? nil : ("\(what) failed (\(status)); output in \(log)", false)
        } catch {
            try? AtomicFile.write(Data("$ \(command)\n--- not run to its end: \(error)\n".utf8), to: log)
            let unreachable = (error as? HostError)?.unreachable ?? (error as? SSHError)?.isUnreachable ?? false
            return ("\(what): \(error)", unreachable)
        }
    }

    /// Restarts the units `after` names as outdated (see ``RestartOutdated``), logging what was
    /// restarted and what was left alone to `<wave>/restart/<host>.log`. Returns the units
    /// restarted, and whether anything was run (restart or re-exec).
    static func restart(_ after: Snapshot, target: HostTarget, over transport: HostTransport, settings s: Settings) async -> ([String], Bool) {
        let plan = RestartOutdated.plan(after.outdated, deny: s.plan.restartDeny)
        let log = logPath(s.restartFolder, target)
        var text = "outdated: " + (after.outdated.isEmpty ? "none" : after.outdated.map(\.name).joined(separator: ", ")) + "\n"
        for (unit, why) in plan.skipped { text += "left alone \(unit): \(why)\n" }
        var restarted: [String] = []
        if !plan.restart.isEmpty || plan.reexec {
            do {
                let r = try await transport.run(RestartOutdated.script(plan), for: target, outputCap: 1 << 20)
                let out = String(decoding: r.stdout + r.stderr, as: UTF8.self)
                text += out
                restarted = out.split(separator: "\n").filter { $0.hasPrefix("restarted ") }.map { String($0.dropFirst(10)) }
            } catch {
                text += "restart not run to its end: \(error)\n"
            }
        }
        try? FileManager.default.createDirectory(atPath: s.restartFolder, withIntermediateDirectories: true)
        try? AtomicFile.write(Data(text.utf8), to: log)
        return (restarted, !plan.restart.isEmpty || plan.reexec)
    }

    static func logPath(_ folder: String, _ target: HostTarget) -> String {
        "\(folder)/\(BaselineStore.fileName(for: target.name).dropLast(5)).log"
    }

    /// Reads the boot id, asks for a reboot (the connection dropping under it is expected),
    /// then connects anew every poll interval until the host answers with another boot id.
    /// Closes `transport`. Returns the failure, nil once the host is back.
    static func reboot(_ target: HostTarget, over transport: HostTransport, connector: Connector, settings s: Settings) async -> String? {
        let before: String
        do { before = try await bootID(over: transport) } catch {
            await transport.close()
            return "cannot read the boot id before rebooting: \(error)"
        }
        var quick = target
        quick.commandTimeout = min(target.commandTimeout, .seconds(30))
        _ = try? await transport.run("systemctl reboot || reboot", for: quick, outputCap: 1 << 20)
        await transport.close()
        let deadline = ContinuousClock.now + s.plan.rebootTimeout
        var probe = target
        probe.connectTimeout = min(target.connectTimeout, .seconds(5))
        probe.commandTimeout = .seconds(10)
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: s.pollInterval)
            guard let t = try? await connector.connect(probe) else { continue }
            let now = try? await bootID(over: t)
            await t.close()
            if let now, now != before { return nil }
        }
        return "no SSH answer with a new boot id within \(RolloutPlan.seconds(s.plan.rebootTimeout)) s of the reboot"
    }

    static func bootID(over transport: HostTransport) async throws -> String {
        let r = try await transport.run("cat /proc/sys/kernel/random/boot_id", stdin: [], timeout: .seconds(15), outputCap: 4096)
        let id = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.exitStatus == 0, !id.isEmpty else { throw HostError("boot id unreadable (exit \(r.exitStatus ?? -1))", unreachable: false) }
        return id
    }
}
