/// What the checks file says about learned endpoint probes for one host: `learn: { endpoints: }`
/// (global, group or host) and a host's `http_host:`. Each level's given values win over the
/// levels before it; nil means "not said here" (learning is on by default).
public struct EndpointLearning: Codable, Sendable, Equatable {
    /// `learn: { endpoints: false }` switches the probes off; nil: not said (on).
    public var enabled: Bool?
    /// The Host header (and TLS SNI) of the learned `GET /`; nil: the host's name.
    public var httpHost: String?

    public init(enabled: Bool? = nil, httpHost: String? = nil) {
        self.enabled = enabled
        self.httpHost = httpHost
    }

    public var isEnabled: Bool { enabled ?? true }

    /// `other`'s given values win.
    public func merged(with other: EndpointLearning) -> EndpointLearning {
        EndpointLearning(enabled: other.enabled ?? enabled, httpHost: other.httpHost ?? httpHost)
    }
}
