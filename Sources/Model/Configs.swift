/// The configs section: the configuration files the package managers track and the leftovers
/// beside them, each list sorted by path. Nil in a snapshot written before the section existed
/// (unknown: never compared), so such a file still reads and writes byte for byte.
public struct ConfigFiles: Codable, Sendable, Equatable {
    public var files: [TrackedConfigFile]
    public var leftovers: [ConfigLeftover]

    public init(files: [TrackedConfigFile] = [], leftovers: [ConfigLeftover] = []) {
        self.files = files
        self.leftovers = leftovers
    }
}

/// A configuration file a package manager tracks: a dpkg conffile (`Conffiles:` of the status
/// file), a file ucf manages (/var/lib/ucf/hashfile), or an rpm `%config` file. What is kept is
/// whether it still equals what the package shipped and a digest of its content, never the content.
public struct TrackedConfigFile: Codable, Sendable, Equatable, SortKeyed {
    /// Who tracks the file, and so what "shipped" was measured against.
    public enum Manager: String, Codable, Sendable, Equatable, CaseIterable {
        /// dpkg's conffile md5 in the status file.
        case dpkg
        /// ucf's md5 of the maintainer's version in /var/lib/ucf/hashfile.
        case ucf
        /// `rpm -V`'s digest flag for a `%config` file.
        case rpm
    }

    /// The file against the package's version of it.
    public enum State: String, Codable, Sendable, Equatable, CaseIterable {
        /// Its content is the package's (the digest matches the one the package manager recorded).
        case shipped
        /// The operator changed it.
        case modified
        /// Not on disk (deleted by the operator: dpkg keeps it deleted across upgrades).
        case missing
        /// On disk but unreadable, or the package manager recorded no digest yet.
        case unknown
    }

    /// Absolute path ("/etc/nginx/nginx.conf").
    public var path: String
    /// The package that owns it ("" when the package manager did not say: a ucf file with no registry entry).
    public var package: String
    public var manager: Manager
    public var state: State
    /// The content's digest, "md5:<lowercase hex>" (md5 is what dpkg and ucf record); nil when
    /// the file is missing or was not read.
    public var digest: String?

    public init(path: String, package: String, manager: Manager, state: State, digest: String? = nil) {
        self.path = path
        self.package = package
        self.manager = manager
        self.state = state
        self.digest = digest
    }

    public var sortKey: String { path }

    // The common case is written short: a dpkg conffile as shipped (most of a host's ~200) has
    // no `manager` and no `state` key; reading fills them in. A tenth of a realistic snapshot.
    enum CodingKeys: String, CodingKey { case path, package, manager, state, digest }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        package = try c.decode(String.self, forKey: .package)
        manager = try c.decodeIfPresent(Manager.self, forKey: .manager) ?? .dpkg
        state = try c.decodeIfPresent(State.self, forKey: .state) ?? .shipped
        digest = try c.decodeIfPresent(String.self, forKey: .digest)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(package, forKey: .package)
        if manager != .dpkg { try c.encode(manager, forKey: .manager) }
        if state != .shipped { try c.encode(state, forKey: .state) }
        try c.encodeIfPresent(digest, forKey: .digest)
    }
}

/// A file a package manager left beside a configuration file under /etc when it did not
/// overwrite the operator's (`.dpkg-dist`, `.dpkg-new`, `.ucf-dist`, `.ucf-new`, `.rpmnew`: the
/// package's new default set aside) or when it did (`.dpkg-old`, `.dpkg-bak`, `.ucf-old`,
/// `.rpmsave`, `.rpmorig`: the operator's version set aside).
public struct ConfigLeftover: Codable, Sendable, Equatable, SortKeyed {
    /// What the suffix says was set aside.
    public enum Kind: String, Codable, Sendable, Equatable, CaseIterable {
        /// The package's new version, not in use: the operator's file was kept.
        case newDefault
        /// The operator's former version: the package's file replaced it.
        case oldVersion
    }

    /// Absolute path ("/etc/nginx/nginx.conf.dpkg-dist").
    public var path: String

    public init(path: String) { self.path = path }

    /// The suffixes and what each means, longest first where one ends another.
    public static let suffixes: [(suffix: String, kind: Kind)] = [
        (".dpkg-dist", .newDefault), (".dpkg-new", .newDefault), (".ucf-dist", .newDefault), (".ucf-new", .newDefault),
        (".rpmnew", .newDefault),
        (".dpkg-old", .oldVersion), (".dpkg-bak", .oldVersion), (".ucf-old", .oldVersion), (".rpmsave", .oldVersion),
        (".rpmorig", .oldVersion),
    ]

    /// What the suffix says; nil for a path without one of ``suffixes``.
    public var kind: Kind? { Self.suffixes.first { path.hasSuffix($0.suffix) }?.kind }

    /// The configuration file it sits beside ("/etc/nginx/nginx.conf"); the path itself without a known suffix.
    public var original: String {
        guard let s = Self.suffixes.first(where: { path.hasSuffix($0.suffix) }) else { return path }
        return String(path.dropLast(s.suffix.count))
    }

    public var sortKey: String { path }
}
