import Foundation

/// The user's OpenSSH client config (~/.ssh/config or `-F FILE`), parsed once and resolved per
/// host the way `ssh` does. See docs/ssh_config.md for what is honoured.
public struct SSHConfig: Sendable {
    /// The file this config was read from.
    public var path: String
    /// `file:line: message` for every line PostPatch could not use: bad values, unknown
    /// keywords, `Match exec`, includes that matched nothing.
    public var warnings: [String]

    let home: String
    let entries: [SSHConfigEntry]
    let wantsFinalPass: Bool

    /// Reads `path` and everything it includes from disk. `home` stands for `~` and anchors
    /// relative Include paths (in `home/.ssh`). Throws when `path` itself cannot be read:
    /// an explicit `-F FILE` that is missing is the user's mistake. Use `loadUserConfig` for
    /// the default file, whose absence is normal.
    public static func load(path: String, home: String) throws -> SSHConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SSHConfigError.notFound(path: path)
        }
        guard !isDirectory.boolValue, let text = Disk.read(path) else { throw SSHConfigError.unreadable(path: path) }
        return parse(text, path: path, home: home, readFile: Disk.read, listDirectory: Disk.list)
    }

    /// `home/.ssh/config`, or an empty config when that file does not exist.
    public static func loadUserConfig(home: String) throws -> SSHConfig {
        let path = SSHConfigExpansion.tilde("~/.ssh/config", home: home)
        guard FileManager.default.fileExists(atPath: path) else {
            return parse("", path: path, home: home, readFile: { _ in nil }, listDirectory: { _ in nil })
        }
        return try load(path: path, home: home)
    }

    /// Parses `text` as the file `path`. Included files are fetched with `readFile` (nil: cannot
    /// be read) and Include wildcards are listed with `listDirectory` (default: the disk).
    /// Never fails; what cannot be used lands in `warnings`.
    public static func parse(_ text: String, path: String, home: String, readFile: (String) -> String?,
                             listDirectory: ((String) -> [String]?)? = nil) -> SSHConfig {
        withoutActuallyEscaping(readFile) { reader in
            var parser = SSHConfigParser(home: home, readFile: reader, listDirectory: listDirectory ?? Disk.list)
            let entries = parser.parse(text, path: path)
            return SSHConfig(path: path, warnings: parser.warnings, home: home, entries: entries,
                             wantsFinalPass: parser.wantsFinalPass)
        }
    }

    /// What the config says for `host` (the name as the user typed it). `user` and `port`
    /// are values given outside the config (PostPatch's own host list, like ssh's `-l` and
    /// `-p`): they win over the config, and `Match user`, `%r` and `%p` see them.
    public func resolve(host: String, localUser: String, user: String? = nil, port: Int? = nil) -> SSHHostSettings {
        SSHConfigResolver.resolve(self, host: host, localUser: localUser, user: user, port: port)
    }
}

/// Errors `load` throws, one line each.
public enum SSHConfigError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String)

    public var description: String {
        switch self {
        case let .notFound(path):
            return "ssh config \(path): no such file; check the path given to -F (or drop -F to use ~/.ssh/config)"
        case let .unreadable(path):
            return "ssh config \(path): cannot be read (a directory, or no permission); check the path and its mode"
        }
    }
}

/// The disk, for `load`: files decoded leniently (a stray byte must not lose the whole file).
private enum Disk {
    static func read(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func list(_ directory: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: directory)
    }
}
