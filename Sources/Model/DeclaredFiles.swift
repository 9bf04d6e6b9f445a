/// A declared file check: `files: [/etc/app/app.conf, ...]` in the checks file, for what no
/// package owns (a package's own configuration is the configs section's). Paths are explicit and
/// absolute; no globs.
public struct FileCheck: Codable, Sendable, Equatable {
    public var path: String
    public init(path: String) { self.path = path }
}

/// What a declared file was on the host: its type, mode, owner and group and, for a regular file,
/// the SHA-256 of its content. The content itself is never kept.
public struct FileResult: Codable, Sendable, Equatable, SortKeyed {
    /// What `path` is; a symbolic link is followed only for its digest, never for type or mode.
    public enum FileType: String, Codable, Sendable, Equatable, CaseIterable {
        case file, directory, symlink, other, missing
    }

    public var path: String
    public var type: FileType
    /// Permission bits in octal ("644", "4755"); nil when missing.
    public var mode: String?
    /// Owner and group names (numbers when the host has no name for them); nil when missing.
    public var owner: String?
    public var group: String?
    /// A regular file's content: "sha256:<lowercase hex>", "cksum:<crc>" on a host without
    /// sha256sum; nil for anything else or when it could not be read (then ``error`` says why).
    public var digest: String?
    /// Why the file could not be read ("permission denied"), one line.
    public var error: String?

    public init(path: String, type: FileType, mode: String? = nil, owner: String? = nil, group: String? = nil,
                digest: String? = nil, error: String? = nil) {
        self.path = path
        self.type = type
        self.mode = mode
        self.owner = owner
        self.group = group
        self.digest = digest
        self.error = error
    }

    public var sortKey: String { path }
}
