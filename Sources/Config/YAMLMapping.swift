import Yams

/// A YAML mapping read strictly: duplicate keys are errors, and `requireKnown` makes an
/// unknown key an error with a suggestion, because a misspelt key would otherwise silently
/// disable the check it was meant to configure. `<<: *anchor` merge keys are honoured.
struct YAMLMapping {
    struct Entry {
        let key: String
        let keyLocation: Location
        let value: YAMLValue
    }

    let file: String
    let place: String
    let location: Location
    private(set) var entries: [Entry] = []

    /// `duplicate` words the error for a key seen twice; it gets the key and where it was first.
    init(_ value: YAMLValue, duplicate: ((String, Location) -> String)? = nil) throws {
        file = value.file
        place = value.place
        location = value.location
        if value.isNull { return }
        guard case let .mapping(mapping) = value.node else {
            throw value.error("\(value.name) must be a mapping of 'key: value' lines, got \(value.shown)")
        }
        var merged: [(Node, Node)] = []
        for (keyNode, valueNode) in mapping {
            guard case let .scalar(keyScalar) = keyNode else {
                throw ConfigError(file: file, at: YAMLDocument.location(of: keyNode),
                                  "keys \(place) must be plain words, got a \(keyNode.mapping != nil ? "mapping" : "list")")
            }
            if keyScalar.string == "<<", keyScalar.style != .singleQuoted, keyScalar.style != .doubleQuoted {
                merged += try Self.mergeSources(valueNode, file: file)
                continue
            }
            let key = keyScalar.string
            let keyLocation = YAMLDocument.location(of: keyNode)
            if let first = entries.first(where: { $0.key == key }) {
                let message = duplicate?(key, first.keyLocation)
                    ?? "duplicate key '\(key)' \(place) (first at \(first.keyLocation))"
                throw ConfigError(file: file, at: keyLocation, message)
            }
            entries.append(Entry(key: key, keyLocation: keyLocation, value: child(key, valueNode, path: value.path)))
        }
        // Merged keys fill in only what the mapping does not say itself, as YAML merge keys specify.
        for (keyNode, valueNode) in merged {
            guard let key = keyNode.scalar?.string, !entries.contains(where: { $0.key == key }) else { continue }
            entries.append(Entry(key: key, keyLocation: YAMLDocument.location(of: keyNode),
                                 value: child(key, valueNode, path: value.path)))
        }
    }

    private func child(_ key: String, _ node: Node, path: String) -> YAMLValue {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        return YAMLValue(node: node, name: "'\(key)'", path: childPath, place: "under '\(childPath)'", file: file)
    }

    private static func mergeSources(_ node: Node, file: String) throws -> [(Node, Node)] {
        switch node {
        case let .mapping(m): return Array(m.map { ($0.key, $0.value) })
        case let .sequence(s): return try s.flatMap { try mergeSources($0, file: file) }
        default:
            throw ConfigError(file: file, at: YAMLDocument.location(of: node),
                              "'<<' must refer to a mapping (<<: *anchor)")
        }
    }

    /// Throws for the first key not in `allowed` (secret-looking keys get their own message).
    func requireKnown(_ allowed: [String]) throws {
        for entry in entries where !allowed.contains(entry.key) {
            if InlineSecrets.looksLikeSecret(key: entry.key) {
                throw ConfigError(file: file, at: entry.keyLocation,
                                  InlineSecrets.message(key: entry.key, place: place))
            }
            throw ConfigError(file: file, at: entry.keyLocation,
                              "unknown key \(InlineSecrets.shown(key: entry.key)) \(place)" + Suggestion.hint(for: entry.key, in: allowed))
        }
    }

    subscript(key: String) -> YAMLValue? {
        guard let value = entries.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else {
            throw ConfigError(file: file, at: location, "missing '\(key)' \(place)")
        }
        return value
    }
}
