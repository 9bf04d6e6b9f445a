import ArgumentParser
import Collect
import Engine
import Foundation
import Model

/// Options of commands that capture snapshots (snapshot, script, baseline, verify, drift,
/// rollout). A new capture option goes here: declared once, checked in `validate()`, and passed
/// on through `settings`.
struct CaptureOptions: ParsableArguments {
    static let stepTimeoutRange = 1...86_400

    @Flag(name: .long, help: "Refresh package lists on the host first (apt-get update / dnf makecache): network traffic from the host, root needed.")
    var refresh = false

    @Flag(name: .customLong("skip-pending-updates"), help: "Do not ask the package manager for pending updates (the costliest step: ~2 s of host CPU with apt).")
    var skipPendingUpdates = false

    @Option(name: .customLong("step-timeout"), help: ArgumentHelp("Seconds (1 to 86400) each collector step may run on the host.", valueName: "seconds"))
    var stepTimeout = ScriptOptions.defaultStepTimeout

    @Option(name: .customLong("updates-timeout"), help: ArgumentHelp("Seconds (1 to 86400) the pending-updates query may run on the host (a package manager on a host being patched is slow).", valueName: "seconds"))
    var updatesTimeout = ScriptOptions.defaultUpdatesTimeout

    func validate() throws {
        try FlagRange.check(FlagRange.problem(stepTimeout, "--step-timeout", Self.stepTimeoutRange, unit: "seconds"))
        try FlagRange.check(FlagRange.problem(updatesTimeout, "--updates-timeout", Self.stepTimeoutRange, unit: "seconds"))
    }

    /// `baselines`: the folder whose `first-seen/` keeps when each pending security fix was first
    /// seen (commands that read or write baselines); nil for a lone capture.
    func settings(outputCap: Int, checks: [HostTarget], baselines: String? = nil) -> Capture.Settings {
        // Only the variables the checks name are passed on: database passwords, HTTP credentials.
        let names = Set(checks.flatMap { $0.checks.databases.compactMap(\.passwordEnv) })
            .union(checks.flatMap { $0.checks.http.flatMap { [$0.basicAuthEnv, $0.bearerEnv].compactMap { $0 } } })
        let env = ProcessInfo.processInfo.environment.filter { names.contains($0.key) }
        return Capture.Settings(script: ScriptOptions(refresh: refresh, stepTimeout: stepTimeout, pendingUpdates: !skipPendingUpdates,
                                                                   updatesTimeout: updatesTimeout),
                                environment: env, outputCap: outputCap, firstSeen: baselines.map(FirstSeenStore.init(baselines:)))
    }
}
