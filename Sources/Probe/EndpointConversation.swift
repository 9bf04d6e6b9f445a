import Model

/// What a learned probe says and hears on one open connection, method by method. Every wait ends
/// by the probe's deadline; nothing here throws: outcomes are written into the answer.
final class EndpointConversation {
    private let raw: ByteStream
    /// `raw`, or the TLS connection over it once a handshake completed.
    private var stream: ByteStream
    private var tls: TLSConnection?
    private let port: Int
    private let deadline: ContinuousClock.Instant
    private let settings: EndpointProbe.Settings

    init(stream: ByteStream, port: Int, deadline: ContinuousClock.Instant, settings: EndpointProbe.Settings) {
        raw = stream
        self.stream = stream
        self.port = port
        self.deadline = deadline
        self.settings = settings
    }

    /// close_notify first when TLS is up (it closes the stream under it), else the stream.
    func close() async {
        if let tls { await tls.close() } else { await raw.close() }
    }

    func speak(_ plan: EndpointPlan, into answer: inout EndpointAnswer) async {
        switch plan.method {
        case .connect:
            answer.answered = true
        case .banner:
            let until = plan.greetingExpected ? deadline : min(deadline, .now + settings.bannerWait)
            await greeting(until: until, expected: plan.greetingExpected, into: &answer)
        case .handshake:
            switch plan.handshake ?? .ssh {
            case .ssh: await greeting(until: deadline, expected: true, into: &answer)
            case .postgres: await postgres(into: &answer)
            case .redis: await redis(into: &answer)
            }
        case .tls:
            await handshakeTLS(then: plan.afterTLS, into: &answer)
        case .http:
            if plan.listenFirst {
                let first = await read(until: min(deadline, .now + EndpointProbe.listenFirstWait))
                if !first.bytes.isEmpty {
                    // A proxy in front of a server that speaks first: no HTTP for it.
                    await greeted(first.bytes, into: &answer)
                    return
                }
            }
            await http(into: &answer)
        }
    }

    // MARK: greetings

    /// Reads until `BannerParser.isComplete`, the stream's end, a failure or `until`.
    private func read(until: ContinuousClock.Instant, limit: Int = EndpointProbe.greetingLimit)
        async -> (bytes: [UInt8], ended: Bool, failure: String?) {
        var bytes: [UInt8] = []
        while !BannerParser.isComplete(bytes, limit: limit) {
            do {
                let chunk = try await stream.read(max: 4096, deadline: until)
                if chunk.isEmpty { return (bytes, true, nil) }
                bytes += chunk
            } catch {
                // Silence until the wait ends is an answer here (no greeting); anything else is not.
                if ContinuousClock.now >= until { return (bytes, false, nil) }
                return (bytes, false, EndpointProbe.describe(error, deadline: deadline, timeout: settings.timeout))
            }
        }
        return (bytes, false, nil)
    }

    /// The server's first words: kept as a banner, then answered with the protocol's own goodbye.
    private func greeting(until: ContinuousClock.Instant, expected: Bool, into answer: inout EndpointAnswer) async {
        let (bytes, ended, failure) = await read(until: until)
        guard !bytes.isEmpty else {
            if let failure {
                answer.error = failure
            } else if ended {
                answer.error = "closed the connection without a greeting"
            } else if expected {
                answer.error = "no greeting within \(formatSeconds(until - (deadline - settings.timeout)))"
            }
            return
        }
        await greeted(bytes, into: &answer)
    }

    private func greeted(_ bytes: [UInt8], into answer: inout EndpointAnswer) async {
        answer.answered = true
        let banner = BannerParser.parse(bytes, port: port)
        answer.banner = banner
        if let banner { await goodbye(after: banner, greeting: bytes) }
    }

    /// What a polite client says before hanging up, so the server logs an ordinary disconnect:
    /// SSH gets our identification (sshd logs an error for a client that sends none), the text
    /// protocols their QUIT or LOGOUT, once the greeting is complete (Exim refuses input sent
    /// before the end of a multi-line greeting as a synchronization error).
    private func goodbye(after banner: BannerInfo, greeting: [UInt8]) async {
        let words: String
        switch banner.proto {
        case "ssh":
            // Then take what the server sent meanwhile (its KEXINIT), so closing is a plain close:
            // unread bytes would turn it into a reset ("Connection reset by ... [preauth]").
            let until = min(deadline, .now + EndpointProbe.goodbyeWait)
            guard (try? await stream.write(Array("SSH-2.0-postpatch\r\n".utf8), deadline: until)) != nil else { return }
            _ = try? await stream.read(max: 16384, deadline: until)
            return
        case "smtp", "ftp", "pop3": words = "QUIT\r\n"
        case "imap": words = "a1 LOGOUT\r\n"
        default: return
        }
        if (banner.proto == "smtp" || banner.proto == "ftp"), !(await finalLineArrived(greeting)) { return }
        let until = min(deadline, .now + EndpointProbe.goodbyeWait)
        guard (try? await stream.write(Array(words.utf8), deadline: until)) != nil else { return }
        _ = await read(until: until, limit: 512)
    }

    /// "220-first\r\n220-more\r\n220 last\r\n": true once a line without the dash has arrived.
    private func finalLineArrived(_ greeting: [UInt8]) async -> Bool {
        func isFinal(_ line: ArraySlice<UInt8>) -> Bool {
            let text = line.last == 0x0D ? line.dropLast() : line
            return text.count == 3 || (text.count > 3 && text[text.startIndex + 3] == 0x20)
        }
        var text = greeting
        let until = min(deadline, .now + EndpointProbe.goodbyeWait)
        while true {
            // Only lines ended by a line feed count: the last piece may still be arriving.
            if text.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().contains(where: isFinal) { return true }
            guard text.count < EndpointProbe.greetingLimit else { return false }
            let more = await read(until: until)
            if more.bytes.isEmpty { return false }
            text += more.bytes
        }
    }

    // MARK: handshakes

    /// SSLRequest; after 'S', a TLS handshake (its certificate is worth knowing) and close_notify.
    private func postgres(into answer: inout EndpointAnswer) async {
        let sslRequest: [UInt8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]
        do {
            try await stream.write(sslRequest, deadline: deadline)
            let reply = try await stream.read(max: 1, deadline: deadline)
            guard !reply.isEmpty else {
                answer.error = "closed the connection without answering the PostgreSQL SSLRequest"
                return
            }
            answer.answered = true
            answer.banner = BannerParser.parse(reply, after: .postgres)
            if reply == [UInt8(ascii: "S")] { answer.tls = await openTLS().info }
        } catch {
            answer.error = EndpointProbe.describe(error, deadline: deadline, timeout: settings.timeout)
        }
    }

    /// Inline PING: a Redis with or without a password answers it, and logs nothing.
    private func redis(into answer: inout EndpointAnswer) async {
        do {
            try await stream.write(Array("PING\r\n".utf8), deadline: deadline)
        } catch {
            answer.error = EndpointProbe.describe(error, deadline: deadline, timeout: settings.timeout)
            return
        }
        let (bytes, ended, failure) = await read(until: deadline, limit: 512)
        guard !bytes.isEmpty else {
            answer.error = failure ?? (ended ? "closed the connection without answering PING"
                                             : "no answer to PING within \(formatSeconds(settings.timeout))")
            return
        }
        answer.answered = true
        answer.banner = BannerParser.parse(bytes, after: .redis)
    }

    // MARK: TLS and HTTP

    /// The TLS client is asked for everything it can speak and verifies nothing (`TLSOptions()`):
    /// an old server is observed, not refused. A failed handshake leaves `tls` nil.
    private func openTLS() async -> (info: TLSInfo, answered: Bool) {
        do {
            let connection = try await TLSConnection.open(over: raw, options: TLSOptions(serverName: settings.httpHost),
                                                          deadline: deadline)
            tls = connection
            stream = connection
            return (connection.info, true)
        } catch let failed as TLSHandshakeError {
            var info = failed.info
            info.error = Sanitize.text(info.error ?? "TLS handshake failed", limit: 300)
            return (info, failed.answered)
        } catch {
            return (TLSInfo(error: EndpointProbe.describe(error, deadline: deadline, timeout: settings.timeout)), false)
        }
    }

    private func handshakeTLS(then after: EndpointPlan.AfterTLS, into answer: inout EndpointAnswer) async {
        let (info, answered) = await openTLS()
        answer.tls = info
        answer.answered = answered
        guard tls != nil else { return }
        switch after {
        case .nothing: break
        case .http: await http(into: &answer)
        case .greeting: await greeting(until: deadline, expected: true, into: &answer)
        }
    }

    /// One `GET /` with `Connection: close`; the head and the body's first 64 KiB are read (the
    /// page's title and fingerprint: HTTPPage), the rest never waited for.
    private func http(into answer: inout EndpointAnswer) async {
        let request = HTTPExchange.Request(host: hostHeader())
        do {
            let response = try await HTTPExchange.exchange(request, over: stream, bodyLimit: HTTPAnswer.bodyLimit,
                                                        deadline: deadline, bodyWait: .seconds(2))
            let redirect = (300..<400).contains(response.status)
            var http = HTTPAnswer(status: response.status,
                                  location: redirect ? response.header("location").map { Sanitize.text($0, limit: 300) } : nil)
            HTTPPage.describe(response, into: &http)
            answer.http = http
            answer.answered = true
        } catch let failure as HTTPExchange.Failure {
            answer.http = HTTPAnswer(error: Sanitize.text(failure.description, limit: 300))
            switch failure {
            case .closed(let sample), .notHTTP(let sample): answer.answered = answer.answered || !sample.isEmpty
            case .headTooLarge: answer.answered = true
            }
        } catch {
            answer.http = HTTPAnswer(error: EndpointProbe.describe(error, deadline: deadline, timeout: settings.timeout))
        }
    }

    /// "www.example.test", "www.example.test:8080", "[2001:db8::1]:8443": the port only when it
    /// is not the scheme's own.
    private func hostHeader() -> String {
        let name = settings.httpHost.contains(":") && !settings.httpHost.hasPrefix("[") ? "[\(settings.httpHost)]" : settings.httpHost
        let defaultPort = tls == nil ? 80 : 443
        return port == defaultPort ? name : "\(name):\(port)"
    }
}
