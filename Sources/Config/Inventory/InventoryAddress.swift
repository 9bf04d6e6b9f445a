/// Whether a host entry (before its port) is a host name or an IP address, range brackets allowed,
/// close to Ansible's `parse_address` patterns. Only used to decide whether `:NN` is a port: when
/// the rest is not an address, Ansible keeps the whole text, port included, as the host's name.
enum InventoryAddress {
    static func isValid(_ text: Substring) -> Bool {
        isHostName(text) || isIPv6(text)
    }

    /// Dot-separated labels of word characters and '-', each starting with a word character or a
    /// range and not ending in '-' or '_'. Dotted IPv4 addresses pass too, as in Ansible.
    static func isHostName(_ text: Substring) -> Bool {
        guard !text.isEmpty else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    private static func isLabel(_ label: Substring) -> Bool {
        var rest = label
        var first = true
        var last: Character?
        while let c = rest.first {
            if c == "[" {
                guard let close = rest.firstIndex(of: "]"),
                      isRange(rest[rest.index(after: rest.startIndex)..<close], letters: true) else { return false }
                rest = rest[rest.index(after: close)...]
                last = "]"
            } else {
                guard isWord(c) || (c == "-" && !first) else { return false }
                rest = rest.dropFirst()
                last = c
            }
            first = false
        }
        return last != nil && last != "-" && last != "_"
    }

    private static func isWord(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_"
    }

    /// `a:z` (one letter each) or `1:10`, with an optional numeric `:step`; hexadecimal bounds
    /// when `letters` is false (inside IPv6 addresses).
    private static func isRange(_ body: Substring, letters: Bool) -> Bool {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        if parts.count == 3, parts[2].isEmpty || !parts[2].allSatisfy(\.isASCIIDigit) { return false }
        let bounds = parts.prefix(2)
        if bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) { return true }
        if letters {
            return bounds.allSatisfy { $0.count == 1 && $0.first.map { $0.isASCII && $0.isLetter } == true }
        }
        return bounds.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isHexDigit) }
    }

    /// Full or `::`-compressed IPv6, optionally ending in dotted IPv4; hex ranges allowed in groups.
    static func isIPv6(_ text: Substring) -> Bool {
        var plain = ""
        var rest = text
        while let c = rest.first {
            if c == "[" {
                guard let close = rest.firstIndex(of: "]"),
                      isRange(rest[rest.index(after: rest.startIndex)..<close], letters: false) else { return false }
                plain += "0"
                rest = rest[rest.index(after: close)...]
            } else {
                plain.append(c)
                rest = rest.dropFirst()
            }
        }
        let halves = plain.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (i, half) in halves.enumerated() where !half.isEmpty {
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (j, part) in parts.enumerated() {
                let isLast = i == halves.count - 1 && j == parts.count - 1
                if isLast, part.contains("."), isHostName(part), part.split(separator: ".").count == 4,
                   part.split(separator: ".").allSatisfy({ Int($0).map { $0 <= 255 } == true }) {
                    groups += 2
                } else if (1...4).contains(part.count), part.allSatisfy(\.isHexDigit) {
                    groups += 1
                } else {
                    return false
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }
}
