import Model
import SSH

/// What `postpatch exec` got from one host.
public struct ExecOutcome: Sendable {
    public var target: HostTarget
    public var result: ExecResult?
    /// Set when the command did not run to an exit status (unreachable, timeout, cap, sudo).
    public var error: String?
    public var unreachable: Bool
    public var seconds: Double
    /// The host answered but the login failed (key refused, wrong passphrase): still exit code 3,
    /// but said as a login failure, not as "unreachable".
    public var loginFailed = false

    public var ok: Bool { result?.succeeded == true && error == nil }
}

/// `postpatch exec`: one command on every host, concurrently.
public enum ExecJob {
    public static func run(_ command: String, targets: [HostTarget], connector: Connector, parallel: Int,
                           outputCap: Int, onDone: (@Sendable (ExecOutcome) -> Void)? = nil) async -> [ExecOutcome] {
        await Fleet.run(targets, parallel: parallel, onDone: { _, o in onDone?(o) }) { target in
            let start = ContinuousClock.now
            func outcome(_ r: ExecResult?, _ e: String?, _ unreachable: Bool) -> ExecOutcome {
                ExecOutcome(target: target, result: r, error: e, unreachable: unreachable, seconds: start.duration(to: .now).inSeconds)
            }
            let transport: HostTransport
            do { transport = try await connector.connect(target) } catch {
                var o = outcome(nil, "\(error)", true)
                o.loginFailed = (error as? SSHError)?.isLoginFailure ?? false
                return o
            }
            let result: ExecOutcome
            do {
                let r = try await transport.run(command, for: target, outputCap: outputCap)
                result = outcome(r, nil, false)
            } catch let e as HostError {
                result = outcome(nil, e.description, e.unreachable)
            } catch let e as SSHError {
                result = outcome(nil, e.description, e.isUnreachable)
            } catch {
                result = outcome(nil, "\(target.name): \(error)", false)
            }
            await transport.close()
            return result
        }
    }

    /// 0 all ran and exited 0; 1 some command failed; 3 some host unreachable (and none failed).
    public static func exitStatus(_ outcomes: [ExecOutcome]) -> ExitStatus {
        if outcomes.contains(where: { !$0.ok && !$0.unreachable }) { return .failed }
        if outcomes.contains(where: \.unreachable) { return .unreachable }
        return .ok
    }
}
