import Model

/// The `files:` list of a `checks:` mapping: declared files whose digest, mode, owner and group
/// are compared (goss `file`), for what no package owns. Each entry is an absolute path, or a
/// mapping `{ path: /etc/app/app.conf }`; explicit paths only (no globs), at most ``limit``.
enum FileEntry {
    /// Declared files per level; each costs the host a `stat` and a digest in every capture.
    static let limit = 200

    static func list(_ value: YAMLValue) throws -> [FileCheck] {
        let entries = try value.entries()
        if entries.count > limit {
            throw value.error("'files' lists \(entries.count) paths, at most \(limit) are read: "
                                  + "keep the files no package owns, the configs section covers the packages' own")
        }
        var first: [String: Int] = [:]
        return try entries.enumerated().map { index, entry in
            let check = try read(entry)
            if let at = first[check.path] {
                throw entry.error("'files' path '\(check.path)' is listed twice (first in entry \(at + 1)); remove one")
            }
            first[check.path] = index
            return check
        }
    }

    static func read(_ value: YAMLValue) throws -> FileCheck {
        var pathValue = value
        if case .mapping = value.node {
            let map = try value.mapping()
            try map.requireKnown(["path"])
            pathValue = try map.required("path")
        }
        let path = try pathValue.word()
        guard path.hasPrefix("/") else {
            throw pathValue.error("\(pathValue.name) must be an absolute path such as /etc/app/app.conf, got \(pathValue.shown)")
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw pathValue.error("\(pathValue.name) must be one line without control characters: write the path as it is on the host")
        }
        if path.contains(where: { "*?[".contains($0) }) {
            throw pathValue.error("\(pathValue.name) holds a glob character (* ? [): 'files' takes explicit paths; list each file")
        }
        return FileCheck(path: path)
    }
}
