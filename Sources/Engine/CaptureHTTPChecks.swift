import Collect
import Model
import Probe

extension Capture {
    /// The declared HTTP checks of one capture: `via: tunnel` ones asked now, concurrently, through
    /// `transport` (the host connects to the URL's host and port, resolving names itself);
    /// `via: host` ones as the collector script's steps answered (`fromHost`). Every text of
    /// both is cleared of the credentials' values.
    static func httpChecks(_ checks: [HTTPCheck], fromHost: [HTTPCheckResult], transport: HostTransport,
                           environment: [String: String]) async -> [HTTPCheckResult] {
        let tunnelled = await withTaskGroup(of: HTTPCheckResult.self) { group in
            for check in checks where check.via == .tunnel {
                group.addTask {
                    await HTTPCheckRunner.run(check, environment: environment) { host, port, deadline in
                        try await transport.openStream(host: host, port: port, deadline: deadline)
                    }
                }
            }
            return await group.reduce(into: [HTTPCheckResult]()) { $0.append($1) }
        }
        let secrets = HTTPCheckCredential.secrets(checks, environment: environment)
        return fromHost.map { HTTPCheckRunner.redact($0, secrets: secrets) } + tunnelled
    }

    /// What goes before the collector script on stdin: the credential headers of `via: host`
    /// checks as shell variables (never in `postpatch script`'s output, never in an argv).
    static func scriptPrelude(_ checks: [HTTPCheck], environment: [String: String]) -> String {
        HTTPChecksSection.credentials(checks, environment: environment)
    }
}
