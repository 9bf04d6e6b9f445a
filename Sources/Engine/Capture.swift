import Collect
import Foundation
import Model
import Probe
import SSH

/// Why a host's snapshot could not be taken. A failed capture never replaces a baseline.
public struct CaptureError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// True when the host could not be reached or logged into.
    public var unreachable: Bool
}

/// Takes one snapshot of a host in one round trip: the collector script goes in on stdin
/// (CollectorScript.launcher, so its nonce is not in any process list), its output is parsed here, then the
/// database probes speak their handshakes, and the learned endpoint probes listen and ask on every
/// listening port (EndpointProbing), through the same session.
public enum Capture {
    public struct Settings: Sendable {
        public var script: ScriptOptions
        /// Values of the environment variables the checks name (database passwords, HTTP credentials).
        public var environment: [String: String]
        public var outputCap: Int
        /// Where the first sight of each pending security fix is kept (the baselines folder's
        /// `first-seen/`); nil: not kept (a lone `snapshot`).
        public var firstSeen: FirstSeenStore?
        public init(script: ScriptOptions = ScriptOptions(), environment: [String: String] = [:], outputCap: Int = 64 << 20,
                    firstSeen: FirstSeenStore? = nil) {
            self.script = script
            self.environment = environment
            self.outputCap = outputCap
            self.firstSeen = firstSeen
        }
    }

    /// Connects, captures and disconnects. `baseline`: the host's baseline when the capture is
    /// compared with it (verify, drift): what its ports answered then informs the learned probes.
    public static func snapshot(_ target: HostTarget, connector: Connector, settings: Settings,
                                baseline: Snapshot? = nil) async -> Result<Snapshot, CaptureError> {
        let transport: HostTransport
        do { transport = try await connector.connect(target) } catch {
            return .failure(CaptureError(description: "\(error)", unreachable: (error as? SSHError)?.isUnreachable ?? true))
        }
        let result = await snapshot(target, over: transport, settings: settings, baseline: baseline)
        await transport.close()
        return result
    }

    public static func snapshot(_ target: HostTarget, over transport: HostTransport, settings: Settings,
                                baseline: Snapshot? = nil) async -> Result<Snapshot, CaptureError> {
        let started = Date()
        let clock = ContinuousClock.now
        let nonce = randomNonce()
        // Compared with a baseline: the package log since then explains the findings.
        var options = settings.script
        if let baseline { options.transactionsSince = baseline.capturedAt }
        let script = scriptPrelude(target.checks.http, environment: settings.environment)
            + CollectorScript.render(checks: target.checks, options: options, nonce: nonce)
        let output: ExecResult
        // The declared commands' own timeouts come on top of --command-timeout.
        var bounded = target
        bounded.commandTimeout += .seconds(CollectorScript.commandsBudgetSeconds(target.checks))
        do {
            output = try await transport.run(CollectorScript.launcher, stdin: Array(script.utf8), for: bounded, outputCap: settings.outputCap,
                                             selfWatching: true)
        } catch let e as HostError {
            return .failure(CaptureError(description: e.description, unreachable: e.unreachable))
        } catch let e as SSHError {
            return .failure(CaptureError(description: e.description, unreachable: e.isUnreachable))
        } catch {
            return .failure(CaptureError(description: "\(target.name): \(error)", unreachable: false))
        }
        guard ByteSearch.contains(ScriptFraming.doneMarker(nonce: nonce), in: output.stdout) else {
            let err = String(decoding: output.stderr.prefix(300), as: UTF8.self)
                .split(separator: "\n").first.map(String.init) ?? "no error output"
            let how = output.exitSignal.map { "killed by SIG\($0)" } ?? "exit \(output.exitStatus ?? -1)"
            return .failure(CaptureError(description: "\(target.name): the collector script did not finish (\(how): \(err))", unreachable: false))
        }
        var snapshot = SnapshotParser.parse(stdout: output.stdout, host: target.name, nonce: nonce, checks: target.checks,
                                            options: options)
        // Declared HTTP checks and database probes share the session at the same time.
        let fromHost = snapshot.httpChecks
        let parsed = snapshot
        async let http = httpChecks(target.checks.http, fromHost: fromHost, transport: transport,
                                    environment: settings.environment)
        async let databases = probeDatabases(target.checks.databases, transport: transport, environment: settings.environment)
        snapshot.databases = await databases
        snapshot.httpChecks = await http
        // The learned probes open their channels after the declared ones: a session opens one
        // channel at a time, and a declared probe must never lose its turn to a learned one.
        let endpoints = await EndpointProbing.learn(parsed, target: target, transport: transport,
                                                    baseline: baseline?.endpoints ?? [])
        snapshot.endpoints = endpoints.answers
        if let gap = endpoints.gap { snapshot.notCaptured[.endpoints] = gap }
        if let why = endpoints.partial { snapshot.partial[.endpoints] = why }
        snapshot.capturedAt = started
        let d = clock.duration(to: .now)
        snapshot.durationMs = Int(d.wholeMilliseconds)
        // The parse left the rest canonical: only what the probes added is put in order.
        snapshot.canonicalize([.databases, .http, .endpoints])
        if let note = settings.firstSeen?.stamp(&snapshot) { snapshot.notes.append(note) }
        return .success(snapshot)
    }

    static func probeDatabases(_ checks: [DatabaseCheck], transport: HostTransport, environment: [String: String]) async -> [DatabaseResult] {
        await withTaskGroup(of: DatabaseResult.self) { group in
            for check in checks {
                group.addTask {
                    await DatabaseProbe.run(check, environment: environment) {
                        try await transport.openStream(host: check.address, port: check.port,
                                                       deadline: .now + .milliseconds(Int64(check.timeout * 1000)))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    static func randomNonce() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}
