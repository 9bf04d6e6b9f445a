import Model

/// What a learned probe will do on one port, decided by `EndpointPolicy` before a byte is sent.
public struct EndpointPlan: Sendable, Equatable {
    /// A known service's own harmless opening (method `.handshake`).
    public enum Handshake: String, Sendable, Equatable, CaseIterable {
        /// Read the identification line, send ours ("SSH-2.0-postpatch"), close. sshd logs an
        /// error ("kex_exchange_identification: Connection closed by remote host") for a client
        /// that closes without identifying itself; after an identification it logs only the
        /// ordinary "Connection closed by ... [preauth]" at INFO.
        case ssh
        /// PostgreSQL's 8-byte SSLRequest: a backend answers 'S' or 'N'. A client that then goes
        /// away sending nothing more is not logged ("don't clutter the log", ProcessStartupPacket);
        /// after 'S' the probe completes TLS and sends close_notify, which is just as quiet.
        case postgres
        /// Redis's inline `PING`: "+PONG", or "-NOAUTH ..." when a password is required. Never
        /// HTTP: Redis logs "Possible SECURITY ATTACK detected" for a `Host:` line.
        case redis
    }

    /// What follows a completed TLS handshake.
    public enum AfterTLS: String, Sendable, Equatable {
        /// Close (close_notify): LDAPS, DNS over TLS, AMQPS, MQTT over TLS, ...
        case nothing
        /// One `GET /`: HTTPS.
        case http
        /// Read the greeting inside TLS, then say goodbye: IMAPS, POP3S, SMTPS, FTPS.
        case greeting
    }

    public var method: EndpointAnswer.Method
    /// For `.handshake`.
    public var handshake: Handshake?
    /// For `.tls`.
    public var afterTLS: AfterTLS
    /// For `.http` chosen by the process alone (a web server or proxy on a port of no known use):
    /// listen briefly first, and if the server speaks first (a TCP proxy in front of SSH or SMTP),
    /// keep its greeting and send no HTTP.
    public var listenFirst: Bool
    /// For `.banner`: the service is known to greet, so its greeting is awaited for the probe's
    /// whole time (a mail server may look up the client's name first); an unknown port is given
    /// only the short banner wait.
    public var greetingExpected: Bool
    /// Why this plan, in a few words ("known HTTPS port 443", "process redis-server"): for tests,
    /// docs/endpoints.md and debugging; not stored in snapshots.
    public var reason: String

    public init(method: EndpointAnswer.Method, handshake: Handshake? = nil, afterTLS: AfterTLS = .nothing,
                listenFirst: Bool = false, greetingExpected: Bool = false, reason: String) {
        self.method = method
        self.handshake = handshake
        self.afterTLS = afterTLS
        self.listenFirst = listenFirst
        self.greetingExpected = greetingExpected
        self.reason = reason
    }

    static func banner(_ reason: String) -> EndpointPlan { EndpointPlan(method: .banner, reason: reason) }
    static func greeting(_ reason: String) -> EndpointPlan {
        EndpointPlan(method: .banner, greetingExpected: true, reason: reason)
    }
    static func connect(_ reason: String) -> EndpointPlan { EndpointPlan(method: .connect, reason: reason) }
    static func handshake(_ h: Handshake, _ reason: String) -> EndpointPlan {
        EndpointPlan(method: .handshake, handshake: h, reason: reason)
    }
    static func tls(_ after: AfterTLS, _ reason: String) -> EndpointPlan {
        EndpointPlan(method: .tls, afterTLS: after, reason: reason)
    }
    static func http(_ reason: String, listenFirst: Bool = false) -> EndpointPlan {
        EndpointPlan(method: .http, listenFirst: listenFirst, reason: reason)
    }
}
