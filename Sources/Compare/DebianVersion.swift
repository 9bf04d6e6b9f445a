/// Debian version ordering, as `dpkg --compare-versions` does it (deb-version(7)):
/// `[epoch:]upstream[-revision]`, epochs numerically, then upstream and revision with the
/// character/digit alternation where `~` sorts before everything, even the end of the string
/// ("1.0~rc1" < "1.0"), letters before other symbols.
public enum DebianVersion {
    /// -1, 0 or 1, like `a <=> b`. Never fails: malformed versions are still ordered by the same rules.
    public static func compare(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let (ea, ua, ra) = split(a)
        let (eb, ub, rb) = split(b)
        if ea != eb { return ea < eb ? -1 : 1 }
        let u = compareFragment(ua, ub)
        if u != 0 { return u }
        return compareFragment(ra, rb)
    }

    /// Epoch (0 when absent), upstream, revision ("" when absent, which sorts like "0").
    static func split(_ v: String) -> (UInt64, [UInt8], [UInt8]) {
        var bytes = Array(v.utf8)
        var epoch: UInt64 = 0
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let digits = bytes[..<colon]
            // An unparsable or huge epoch counts as 0 rather than stopping the comparison.
            epoch = UInt64(String(decoding: digits, as: UTF8.self)) ?? 0
            bytes = Array(bytes[(colon + 1)...])
        }
        if let dash = bytes.lastIndex(of: UInt8(ascii: "-")) {
            return (epoch, Array(bytes[..<dash]), Array(bytes[(dash + 1)...]))
        }
        return (epoch, bytes, [])
    }

    /// Weight of a non-digit position: end and digits 0, `~` below everything, letters by
    /// ASCII, any other symbol after all letters.
    private static func order(_ c: UInt8?) -> Int {
        guard let c else { return 0 }
        if isDigit(c) { return 0 }
        if isAlpha(c) { return Int(c) }
        if c == UInt8(ascii: "~") { return -1 }
        return Int(c) + 256
    }

    static func compareFragment(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0, j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8? { k < s.count ? s[k] : nil }
        while i < a.count || j < b.count {
            // Non-digit run, position by position.
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                // When the orders match neither side is at its end (the end only ties with a digit,
                // and this loop needs a non-digit on one side), so stepping both is safe.
                let oa = order(at(a, i)), ob = order(at(b, j))
                if oa != ob { return oa < ob ? -1 : 1 }
                i += 1; j += 1
            }
            // Digit run, numerically: skip leading zeros, then the longer run wins, else the first difference.
            while at(a, i) == UInt8(ascii: "0") { i += 1 }
            while at(b, j) == UInt8(ascii: "0") { j += 1 }
            var firstDiff = 0
            while let ca = at(a, i), let cb = at(b, j), isDigit(ca), isDigit(cb) {
                if firstDiff == 0 && ca != cb { firstDiff = ca < cb ? -1 : 1 }
                i += 1; j += 1
            }
            if let ca = at(a, i), isDigit(ca) { return 1 }
            if let cb = at(b, j), isDigit(cb) { return -1 }
            if firstDiff != 0 { return firstDiff }
        }
        return 0
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
}
