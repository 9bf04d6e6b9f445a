/// One container of the host's container engine, as `podman ps -a` or `docker ps -a` lists it,
/// with what one `container inspect` call adds (restart policy, restart count, start time).
/// Identity is the name: an engine keeps names unique, and `docker compose` or a systemd unit
/// recreating a container (new id) keeps its name.
public struct Container: Codable, Sendable, Equatable, SortKeyed {
    /// "podman" or "docker".
    public var engine: String
    public var name: String
    /// The full container id (hex); a new id under the same name means the container was recreated.
    public var id: String
    /// The image as the container was created from it ("nginx", "localhost/app:3").
    public var image: String
    /// The image id (hex, without "sha256:"), nil when neither ps nor inspect said.
    public var imageID: String?
    /// The engine's own state word: "running", "exited", "created", "paused", "restarting", "dead", ...
    public var state: String
    /// "always", "unless-stopped", "on-failure", "no"; nil when unknown (inspect failed).
    /// An empty policy (podman's and docker's way of saying none) reads "no".
    public var restartPolicy: String?
    /// How many times the engine restarted it by its policy; nil when unknown.
    public var restartCount: Int?
    /// When it last started, in the engine's own notation; nil when it never did or unknown.
    public var startedAt: String?

    public init(engine: String, name: String, id: String, image: String, imageID: String? = nil, state: String,
                restartPolicy: String? = nil, restartCount: Int? = nil, startedAt: String? = nil) {
        self.engine = engine
        self.name = name
        self.id = id
        self.image = image
        self.imageID = imageID
        self.state = state
        self.restartPolicy = restartPolicy
        self.restartCount = restartCount
        self.startedAt = startedAt
    }

    public var isRunning: Bool { state == "running" }
    public var sortKey: String { "\(name)|\(engine)" }
}
