import Model

/// Runs one learned probe (an `EndpointPlan`) over one connection: a direct-tcpip channel through
/// the host's SSH session in production, a loopback socket for `local` and in tests. Never
/// throws: whatever happens lands in the returned `EndpointAnswer`, every string sanitized.
///
/// Bounded: one connection; at most `readBudget` bytes read off it; the whole probe, connect
/// included, ends by `timeout`; an unknown port is given only `bannerWait` to speak first.
public enum EndpointProbe {
    public struct Settings: Sendable, Equatable {
        /// The Host header of `GET /` (the probed port is added when it is not 80/443) and the
        /// TLS server name: the config's `http_host`, else the host's name.
        public var httpHost: String
        /// The whole probe, connect included.
        public var timeout: Duration
        /// How long an unknown port may take to greet before it counts as silent.
        public var bannerWait: Duration

        public init(httpHost: String, timeout: Duration = .seconds(5), bannerWait: Duration = .seconds(1)) {
            self.httpHost = httpHost
            self.timeout = timeout
            self.bannerWait = bannerWait
        }
    }

    /// Raw bytes read off one connection, TLS records included: a certificate chain and an HTTP
    /// head fit; a server streaming without end is cut here.
    static let readBudget = 64 * 1024
    /// A greeting is one line; more is not kept.
    static let greetingLimit = 16 * 1024
    /// How long a web server or proxy on a port of no known use may take to speak first.
    static let listenFirstWait: Duration = .milliseconds(250)
    /// How long the goodbye's reply ("221 Bye") is awaited, so the server is not cut off mid-answer.
    static let goodbyeWait: Duration = .milliseconds(500)

    /// Where a socket bound to `address` is reached from the host itself: the wildcard addresses
    /// through loopback, any other address as it is.
    public static func connectAddress(for address: String) -> String {
        switch address {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::", "::0", "[::]": return "::1"
        default: return address
        }
    }

    /// Probes `port` of the socket bound to `address`, held by `process`, as `plan` says.
    /// `connect(host, port, deadline)` opens the stream (to `connectAddress(for: address)`).
    public static func run(_ plan: EndpointPlan, address: String, port: Int, process: String?, settings: Settings,
                           connect: @escaping @Sendable (String, Int, ContinuousClock.Instant) async throws -> ByteStream) async -> EndpointAnswer {
        let deadline = ContinuousClock.now + settings.timeout
        let blank = EndpointAnswer(address: address, port: port, process: process, method: plan.method, answered: false)
        let shown = formatSeconds(settings.timeout)
        return await DeadlineGuard.race(until: deadline + .milliseconds(250), work: {
            await attempt(plan, blank, settings: settings, deadline: deadline, connect: connect)
        }, fallback: {
            var answer = blank
            answer.error = "no answer within \(shown)"
            return answer
        })
    }

    private static func attempt(_ plan: EndpointPlan, _ blank: EndpointAnswer, settings: Settings,
                                deadline: ContinuousClock.Instant,
                                connect: @Sendable (String, Int, ContinuousClock.Instant) async throws -> ByteStream) async -> EndpointAnswer {
        var answer = blank
        let raw: ByteStream
        do {
            raw = try await connect(connectAddress(for: blank.address), blank.port, deadline)
        } catch {
            answer.error = describe(error, deadline: deadline, timeout: settings.timeout)
            return answer
        }
        let conversation = EndpointConversation(stream: BudgetStream(raw, budget: readBudget), port: blank.port,
                                                deadline: deadline, settings: settings)
        await conversation.speak(plan, into: &answer)
        await conversation.close()
        answer.error = answer.error.map { Sanitize.text($0, limit: 300) }
        return answer
    }

    /// One line for an error: a timeout says how long was waited, anything else says itself.
    static func describe(_ error: Error, deadline: ContinuousClock.Instant, timeout: Duration) -> String {
        if ContinuousClock.now >= deadline { return "no answer within \(formatSeconds(timeout))" }
        return Sanitize.text(String(describing: error), limit: 300)
    }
}

/// Reads no more than `budget` bytes off `inner`; past it the stream reads as ended.
final class BudgetStream: ByteStream, @unchecked Sendable {
    private let inner: ByteStream
    private var left: Int

    init(_ inner: ByteStream, budget: Int) {
        self.inner = inner
        self.left = budget
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
        try await inner.write(bytes, deadline: deadline)
    }

    func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        guard left > 0 else { return [] }
        let chunk = try await inner.read(max: Swift.min(max, left), deadline: deadline)
        left -= chunk.count
        return chunk
    }

    func close() async { await inner.close() }
}
