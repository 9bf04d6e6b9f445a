import Foundation
import Model
import SSH

/// The per-host steps of a wave: run the patch command (its output kept in the run folder),
/// then reboot and wait for the host to come back with a new boot id.
enum RolloutHost {
    struct Settings: Sendable {
        var patchCommand: String
        var reboot: RebootPolicy
        var rebootTimeout: Duration
        var pollInterval: Duration
        var capture: Capture.Settings
        var outputCap: Int
        /// `<wave folder>/patch`.
        var logFolder: String
    }

    static func run(_ target: HostTarget, connector: Connector, settings s: Settings) async -> RolloutHostOutcome {
        var outcome = RolloutHostOutcome(host: target.name)
        let transport: HostTransport
        do { transport = try await connector.connect(target) } catch {
            outcome.failure = "cannot connect to patch: \(error)"
            outcome.unreachable = (error as? SSHError)?.isUnreachable ?? true
            return outcome
        }
        let log = "\(s.logFolder)/\(BaselineStore.fileName(for: target.name).dropLast(5)).log"
        do {
            let r = try await transport.run(s.patchCommand, for: target, outputCap: s.outputCap)
            let status = r.exitSignal.map { "killed by SIG\($0)" } ?? "exit status \(r.exitStatus ?? -1)"
            var text = "$ \(s.patchCommand)\n"
            text += String(decoding: r.stdout, as: UTF8.self)
            if !r.stderr.isEmpty { text += "--- stderr\n" + String(decoding: r.stderr, as: UTF8.self) }
            text += (text.hasSuffix("\n") ? "" : "\n") + "--- \(status)\n"
            try? AtomicFile.write(Data(text.utf8), to: log)
            guard r.exitStatus == 0 else {
                await transport.close()
                outcome.failure = "patch command failed (\(status)); output in \(log)"
                return outcome
            }
        } catch {
            try? AtomicFile.write(Data("$ \(s.patchCommand)\n--- not run to its end: \(error)\n".utf8), to: log)
            await transport.close()
            outcome.failure = "patch command: \(error)"
            outcome.unreachable = (error as? HostError)?.unreachable ?? (error as? SSHError)?.isUnreachable ?? false
            return outcome
        }
        outcome.patched = true

        var wantsReboot = s.reboot == .always
        if s.reboot == .ifRequired {
            switch await Capture.snapshot(target, over: transport, settings: s.capture) {
            case let .success(snap): wantsReboot = snap.system.rebootRequired == true
            case let .failure(e):
                await transport.close()
                outcome.failure = "after the patch, cannot tell whether a reboot is required: \(e.description)"
                outcome.unreachable = e.unreachable
                return outcome
            }
        }
        guard wantsReboot else {
            await transport.close()
            return outcome
        }
        if let failure = await reboot(target, over: transport, connector: connector, settings: s) {
            outcome.failure = failure
        } else {
            outcome.rebooted = true
        }
        return outcome
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
        let deadline = ContinuousClock.now + s.rebootTimeout
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
        return "no SSH answer with a new boot id within \(RolloutPlan.seconds(s.rebootTimeout)) s of the reboot"
    }

    static func bootID(over transport: HostTransport) async throws -> String {
        let r = try await transport.run("cat /proc/sys/kernel/random/boot_id", stdin: [], timeout: .seconds(15), outputCap: 4096)
        let id = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.exitStatus == 0, !id.isEmpty else { throw HostError("boot id unreadable (exit \(r.exitStatus ?? -1))", unreachable: false) }
        return id
    }
}
