import Model

/// What one protocol conversation concluded, before the entry point adds identity and timing.
struct ProbeOutcome {
    var up: Bool
    var version: String?
    var detail: String?
    var error: String?
}

/// Checks that a database (or any TCP service) answers like itself, over whatever stream the
/// caller opens: an SSH direct-tcpip channel from the host in production, a socket locally.
public enum DatabaseProbe {
    /// Opens a stream with `connect`, speaks the protocol of `check.kind`, and never throws:
    /// failures land in `error` with up=false.
    /// `environment` supplies the values of variables named in the check (passwordEnv).
    ///
    /// The whole probe, connect included, shares one deadline of `check.timeout` seconds; `connect`
    /// should honour it too (the probe returns shortly after it regardless). `latencyMs` is the time
    /// from the start to the server's first bytes (for `tcp`, to the completed connect).
    /// Every server-provided text is sanitized, and the password never appears in the result.
    public static func run(_ check: DatabaseCheck, environment: [String: String],
                           connect: @escaping @Sendable () async throws -> ByteStream) async -> DatabaseResult {
        // Clamped so a hand-written config (0, negative, NaN, 1e300) cannot trap the conversion.
        let seconds = check.timeout.isFinite ? min(max(check.timeout, 0.05), 3600) : 5
        let timeout = Duration.milliseconds(Int64((seconds * 1000).rounded()))
        let start = ContinuousClock.now
        let deadline = start + timeout
        var password: String?
        var passwordNote: String?
        if let variable = check.passwordEnv, check.kind == .redis {
            if let value = environment[variable], !value.isEmpty {
                password = value
            } else {
                passwordNote = "password variable \(variable) is not set; probed without AUTH"
            }
        }
        let secret = password
        let note = passwordNote
        var result = await DeadlineGuard.race(until: deadline + .milliseconds(250), work: {
            await attempt(check, password: secret, passwordNote: note, start: start,
                          deadline: deadline, timeout: timeout, connect: connect)
        }, fallback: {
            failed(check, "no answer from \(endpoint(check)) within \(formatSeconds(timeout))")
        })
        let secrets = secret.map { [$0] } ?? []
        result.version = Sanitize.redact(result.version, secrets: secrets)
        result.detail = Sanitize.redact(result.detail, secrets: secrets)
        result.error = Sanitize.redact(result.error, secrets: secrets)
        return result
    }

    private static func attempt(_ check: DatabaseCheck, password: String?, passwordNote: String?,
                                start: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
                                timeout: Duration, connect: @Sendable () async throws -> ByteStream) async -> DatabaseResult {
        let stream: ByteStream
        do {
            stream = try await connect()
        } catch {
            return failed(check, Sanitize.text(String(describing: error), limit: 300))
        }
        let connected = ContinuousClock.now
        let wire = WireReader(stream: stream, deadline: deadline)
        var outcome: ProbeOutcome
        do {
            switch check.kind {
            case .postgres: outcome = try await PostgresProbe.speak(wire, check: check)
            case .mysql: outcome = try await MySQLProbe.speak(wire)
            case .redis: outcome = try await RedisProbe.speak(wire, password: password, passwordNote: passwordNote)
            case .mssql: outcome = try await TDSProbe.speak(wire)
            case .tcp: outcome = try await TCPBannerProbe.speak(wire, expect: check.expectBanner, timeout: timeout)
            }
        } catch {
            outcome = ProbeOutcome(up: false, error: explain(error, check: check, deadline: deadline, timeout: timeout))
        }
        await stream.close()
        let answered = check.kind == .tcp ? connected : wire.firstAnswer
        var result = DatabaseResult(name: check.name, kind: check.kind, address: check.address, port: check.port,
                                    up: outcome.up, version: outcome.version, detail: outcome.detail,
                                    error: outcome.error)
        result.latencyMs = answered.map { milliseconds($0 - start) }
        return result
    }

    /// One line saying what went wrong after the connection was open.
    static func explain(_ error: Error, check: DatabaseCheck, deadline: ContinuousClock.Instant,
                        timeout: Duration) -> String {
        let speaker = protocolName(check.kind)
        let port = "port \(check.port)"
        switch error {
        case WireError.invalid(let reason, let sample):
            let got = sample.isEmpty ? reason : "got '\(Sanitize.text(sample, limit: 60))'"
            return "\(port) did not answer like \(speaker): \(got)"
        case WireError.ended(let sample) where sample.isEmpty:
            return "\(port) closed the connection without answering like \(speaker)"
        case WireError.ended(let sample):
            return "\(port) closed the connection mid-answer, not like \(speaker): got '\(Sanitize.text(sample, limit: 60))'"
        default:
            if ContinuousClock.now >= deadline {
                return "no \(speaker) answer from \(endpoint(check)) within \(formatSeconds(timeout))"
            }
            return Sanitize.text(String(describing: error), limit: 300)
        }
    }

    static func protocolName(_ kind: DatabaseKind) -> String {
        switch kind {
        case .postgres: return "PostgreSQL"
        case .mysql: return "MySQL/MariaDB"
        case .redis: return "Redis"
        case .mssql: return "SQL Server"
        case .tcp: return "TCP"
        }
    }

    private static func endpoint(_ check: DatabaseCheck) -> String {
        check.address.contains(":") ? "[\(check.address)]:\(check.port)" : "\(check.address):\(check.port)"
    }

    private static func failed(_ check: DatabaseCheck, _ message: String) -> DatabaseResult {
        DatabaseResult(name: check.name, kind: check.kind, address: check.address, port: check.port,
                       up: false, error: message)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        (duration.inSeconds * 10_000).rounded() / 10
    }
}
