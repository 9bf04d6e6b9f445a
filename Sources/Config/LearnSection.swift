import Model

/// The checks file's keys for learned endpoint probes: `learn: { endpoints: false }` (global,
/// group or host), `ignore: { endpoints: [8080, "9000-9100"] }`, `rules: { expiry_warning_days,
/// endpoint_versions }` and a host's `http_host:`. Every bad value is one line naming the key.
enum LearnSection {
    static let learnKeys = ["endpoints"]
    /// Ten years: a longer warning period is a typo.
    static let expiryDays = 0...3650

    static func learn(_ value: YAMLValue) throws -> EndpointLearning {
        let map = try value.mapping()
        try map.requireKnown(learnKeys)
        return EndpointLearning(enabled: try map["endpoints"]?.bool())
    }

    /// Ports and "low-high" ranges; a single one may be written without the list brackets.
    static func ignoredPorts(_ value: YAMLValue?) throws -> [PortRange] {
        guard let value else { return [] }
        let items: [YAMLValue]
        if case .scalar = value.node { items = [value] } else { items = try value.entries() }
        return try items.map(portRange)
    }

    static func portRange(_ value: YAMLValue) throws -> PortRange {
        let text = try value.text().trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if parts.count <= 2, let low = numbers.first ?? nil, let high = numbers.last ?? nil,
           (1...65535).contains(low), (1...65535).contains(high), low <= high {
            return PortRange(low: low, high: high)
        }
        throw value.error("\(value.name) must be a port (1 to 65535) or a range of ports such as \"9000-9100\", got \(value.shown)")
    }

    /// A host name or IP address (brackets around IPv6 allowed, dropped), without port or path:
    /// the probed port is added to the Host header when it is not the scheme's own.
    static func httpHost(_ value: YAMLValue) throws -> String {
        var text = try value.word()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        let name = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        let ipv6 = text.contains(":") && text.allSatisfy { $0.isHexDigit || ":.".contains($0) }
        guard !text.isEmpty, text.count <= 253, name || ipv6 else {
            throw value.error("'http_host' must be a host name or IP address without port or path "
                                  + "(the Host header of the learned GET /), got \(value.shown)")
        }
        return text
    }
}
