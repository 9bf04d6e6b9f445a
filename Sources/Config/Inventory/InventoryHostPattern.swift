/// A host entry as an inventory writes it: `name`, `name:port`, `[v6]:port`, and Ansible's ranges
/// (`www[01:50].example.com`, `db-[a:f]`, `[1:10:2]`), expanded to the host names they stand for.
enum InventoryHostPattern {
    /// Past this many names one entry is refused: a typo like `[1:9999999]` must not eat memory.
    static let maxExpansion = 100_000

    /// Splits a trailing port the way Ansible's `parse_address` does. A pattern that is not a
    /// recognisable host name or address keeps its text whole, port included, as in Ansible.
    static func split(_ text: String) -> (pattern: String, port: Int?) {
        var address = Substring(text)
        var port: Int?
        if address.hasPrefix("["), let close = address.lastIndex(of: "]"),
           let p = portAfter(address, close), close > address.index(after: address.startIndex) {
            address = address[address.index(after: address.startIndex)..<close]
            port = p
        }
        if let colon = lastColonOutsideBrackets(address), let p = portAfter(address, colon, colon: true) {
            address = address[..<colon]
            port = p
        }
        guard port != nil, InventoryAddress.isValid(address) else { return (text, nil) }
        return (String(address), port)
    }

    /// Every name `pattern` stands for, ranges expanded left to right (`a[1:2]b[x:y]` gives four).
    static func expand(_ pattern: String) throws -> [String] {
        guard let open = pattern.firstIndex(of: "[") else { return [pattern] }
        guard let close = pattern[open...].firstIndex(of: "]") else {
            throw InventoryGraph.Refusal(message: "host range in '\(pattern)' has '[' without a closing ']'")
        }
        let head = pattern[..<open]
        let tail = pattern[pattern.index(after: close)...]
        let body = pattern[pattern.index(after: open)..<close]
        let items = try rangeItems(String(body), in: pattern)
        var names: [String] = []
        for item in items {
            let expanded = try expand(String(head) + item + String(tail))
            names += expanded
            if names.count > maxExpansion {
                throw InventoryGraph.Refusal(message: "host range '\(pattern)' gives more than \(maxExpansion) "
                    + "hosts; split the inventory or check the range")
            }
        }
        return names
    }

    /// `begin:end[:step]`: one letter each (a-z then A-Z, Ansible's `ascii_letters`), or numbers,
    /// zero-padded to the begin's width when the begin has a leading zero.
    private static func rangeItems(_ body: String, in pattern: String) throws -> [String] {
        func refuse(_ why: String) -> InventoryGraph.Refusal {
            InventoryGraph.Refusal(message: "bad host range '[\(body)]' in '\(pattern)': \(why)")
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw refuse("write it as [begin:end] or [begin:end:step]")
        }
        let begin = parts[0].isEmpty ? "0" : parts[0]
        let end = parts[1]
        guard !end.isEmpty else { throw refuse("the end is missing") }
        var step = 1
        if parts.count == 3 {
            guard let s = Int(parts[2]), s > 0 else { throw refuse("the step must be a whole number above 0") }
            step = s
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if begin.count == 1, end.count == 1, let b = letters.firstIndex(of: Character(begin)),
           let e = letters.firstIndex(of: Character(end)) {
            guard b <= e else { throw refuse("'\(begin)' comes after '\(end)'") }
            return stride(from: b, through: e, by: step).map { String(letters[$0]) }
        }
        guard begin.allSatisfy(\.isASCIIDigit), end.allSatisfy(\.isASCIIDigit),
              let b = Int(begin), let e = Int(end) else {
            throw refuse("begin and end must both be numbers or both be single letters")
        }
        guard b <= e else { throw refuse("\(begin) is greater than \(end)") }
        guard (e - b) / step < maxExpansion else {
            throw refuse("it gives more than \(maxExpansion) hosts")
        }
        let width = begin.hasPrefix("0") && begin.count > 1 ? begin.count : 0
        if width > 0, end.count != width {
            throw refuse("a zero-padded begin ('\(begin)') needs an end of the same width")
        }
        return stride(from: b, through: e, by: step).map { n in
            let digits = String(n)
            return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        }
    }

    /// The port after `index` (`]:22`, or `:22` when `colon`), if what follows is only digits.
    private static func portAfter(_ s: Substring, _ index: Substring.Index, colon: Bool = false) -> Int? {
        var rest = s[s.index(after: index)...]
        if !colon {
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.count <= 18, rest.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(rest)
    }

    /// The last ':' not inside `[...]`, provided no other ':' is outside brackets (as the
    /// `hostport` pattern requires: a bare IPv6 address has no port).
    private static func lastColonOutsideBrackets(_ s: Substring) -> Substring.Index? {
        var depth = 0
        var found: Substring.Index?
        for index in s.indices {
            switch s[index] {
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            case ":" where depth == 0:
                if found != nil { return nil }
                found = index
            default: break
            }
        }
        return found
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
