import Model

/// Runs a declared HTTP check (`via: tunnel`) over a stream the caller opens: in production a
/// direct-tcpip channel through the SSH session, so the host connects to the URL's host and
/// port (resolving names itself) and PostPatch speaks HTTP (and TLS) through it.
public enum HTTPCheckRunner {
    /// Opens a TCP stream to `host:port`, as the host sees it, by `deadline`.
    public typealias Connect = @Sendable (_ host: String, _ port: Int, _ deadline: ContinuousClock.Instant) async throws -> ByteStream

    /// One GET of `check.url`, bounded by `check.timeout` from start to answer. Never throws:
    /// every failure lands in `error` and `failed`. `environment` holds the values of the
    /// variables the check names; the credential goes into the request only, and every text of
    /// the result is sanitized and cleared of it.
    public static func run(_ check: HTTPCheck, environment: [String: String], connect: @escaping Connect) async -> HTTPCheckResult {
        let secrets = HTTPCheckCredential.secrets([check], environment: environment)
        let url: HTTPCheckURL
        do { url = try HTTPCheckURL.parse(check.url) } catch {
            return redact(failed(check, "not run: url \(error)"), secrets: secrets)
        }
        var authorization: String?
        switch HTTPCheckCredential.authorization(check, environment: environment) {
        case .failure(let problem)?: return redact(failed(check, problem.message), secrets: secrets)
        case .success(let value)?: authorization = value
        case nil: break
        }
        let seconds = check.timeout.isFinite ? min(max(check.timeout, 0.05), 300) : 10
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64((seconds * 1000).rounded()))
        let header = authorization
        let result = await DeadlineGuard.race(until: deadline + .milliseconds(250), work: {
            await attempt(check, url: url, authorization: header, start: start, deadline: deadline, connect: connect)
        }, fallback: {
            failed(check, check.noAnswerText)
        })
        return redact(result, secrets: secrets)
    }

    private static func attempt(_ check: HTTPCheck, url: HTTPCheckURL, authorization: String?, start: ContinuousClock.Instant,
                                deadline: ContinuousClock.Instant, connect: Connect) async -> HTTPCheckResult {
        var result = HTTPCheckResult(name: check.name, url: check.url, via: .tunnel)
        func fail(_ error: Error, _ stream: ByteStream?) async -> HTTPCheckResult {
            await stream?.close()
            let text = ContinuousClock.now >= deadline ? check.noAnswerText : explain(error, url: url)
            result.error = text
            result.failed = check.failures(status: nil, containsMatched: nil, error: text)
            return result
        }
        let tcp: ByteStream
        do { tcp = try await connect(url.host, url.port, deadline) } catch { return await fail(error, nil) }
        var stream = tcp
        if url.secure {
            let options = TLSOptions(serverName: url.host, verify: check.tlsVerify, caFile: check.caFile)
            do {
                let tls = try await TLSConnection.open(over: tcp, options: options, deadline: deadline)
                result.tls = tls.info
                stream = tls
            } catch let e as TLSHandshakeError {
                result.tls = e.info
                return await fail(e, tcp)
            } catch {
                return await fail(error, tcp)
            }
        }
        let response: HTTPExchange.Response
        do {
            response = try await HTTPExchange.exchange(request(check, url: url, authorization: authorization), over: stream,
                                                       bodyLimit: check.contains == nil ? 0 : HTTPCheck.bodyLimit, deadline: deadline)
        } catch {
            return await fail(error, stream)
        }
        await stream.close()
        result.latencyMs = ((start.duration(to: .now)).inSeconds * 10_000).rounded() / 10
        result.status = response.status
        if (300..<400).contains(response.status), let location = response.header("location") {
            result.location = Sanitize.text(location, limit: 512)
        }
        var searchedAll = true
        if let text = check.contains {
            let matched = response.body.firstRange(of: Array(text.utf8)) != nil
            result.containsMatched = matched
            searchedAll = matched || !response.bodyTruncated
        }
        result.failed = check.failures(status: response.status, containsMatched: result.containsMatched, searchedAll: searchedAll)
        return result
    }

    /// GET of the URL's path, the declared headers in name order (a declared `Host` replaces the
    /// URL's, for virtual hosts reached by address), then the credential.
    static func request(_ check: HTTPCheck, url: HTTPCheckURL, authorization: String?) -> HTTPExchange.Request {
        var host = url.hostHeader
        var headers: [(name: String, value: String)] = []
        for (name, value) in check.headers.sorted(by: { $0.key.lowercased() < $1.key.lowercased() }) {
            if name.lowercased() == "host" { host = value } else { headers.append((name, value)) }
        }
        if let authorization { headers.append(("Authorization", authorization)) }
        return HTTPExchange.Request(method: "GET", path: url.target, host: host, headers: headers)
    }

    /// One line for what went wrong: TLS named as such, HTTP failures with the endpoint.
    static func explain(_ error: Error, url: HTTPCheckURL) -> String {
        let endpoint = url.host.contains(":") ? "[\(url.host)]:\(url.port)" : "\(url.host):\(url.port)"
        switch error {
        case let e as TLSHandshakeError:
            let why = Sanitize.text(e.description, limit: 300)
            let verification = why.contains("verif") || why.contains("certificate") || why.contains("hostname mismatch")
            return (verification ? "TLS verification failed: " : "TLS handshake failed: ") + why
        case let e as HTTPExchange.Failure:
            return "\(endpoint) \(e.description)"
        default:
            return Sanitize.text(String(describing: error), limit: 300)
        }
    }

    /// The result with every text cleared of `secrets` ("***"): belt and braces, in case a
    /// server or a client echoes a credential back. Also applied to `via: host` results.
    public static func redact(_ result: HTTPCheckResult, secrets: [String]) -> HTTPCheckResult {
        guard !secrets.isEmpty else { return result }
        var r = result
        r.location = Sanitize.redact(r.location, secrets: secrets)
        r.error = Sanitize.redact(r.error, secrets: secrets)
        r.failed = r.failed.map { Sanitize.redact($0, secrets: secrets) ?? $0 }
        if var tls = r.tls {
            tls.error = Sanitize.redact(tls.error, secrets: secrets)
            r.tls = tls
        }
        return r
    }

    private static func failed(_ check: HTTPCheck, _ message: String) -> HTTPCheckResult {
        HTTPCheckResult(name: check.name, url: check.url, via: .tunnel, error: message, failed: [message])
    }
}
