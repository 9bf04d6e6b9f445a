import Model

/// RPM version ordering: epoch numerically, then version and release each with rpmvercmp's
/// segment rules (rpm 4.x): separators are ignored, digit segments compare numerically and beat
/// letter segments, `~` sorts before everything (even the end), `^` after the end but before
/// anything else.
public enum RPMVersion {
    /// -1, 0 or 1 for two `[epoch:]version[-release]` strings, like `a <=> b`.
    public static func compare(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let (ea, va, ra) = split(a)
        let (eb, vb, rb) = split(b)
        if ea != eb { return ea < eb ? -1 : 1 }
        let v = vercmp(va, vb)
        if v != 0 { return v }
        // As rpm 4.18's rpm.vercmp: a missing release sorts below any release ("1.0" < "1.0-0").
        if ra == nil && rb == nil { return 0 }
        return vercmp(ra ?? "", rb ?? "")
    }

    static func split(_ v: String) -> (UInt64, String, String?) {
        var rest = Substring(v)
        var epoch: UInt64 = 0
        if let colon = rest.firstIndex(of: ":"), let e = UInt64(rest[..<colon]) {
            epoch = e
            rest = rest[rest.index(after: colon)...]
        }
        if let dash = rest.lastIndex(of: "-") {
            return (epoch, String(rest[..<dash]), String(rest[rest.index(after: dash)...]))
        }
        return (epoch, String(rest), nil)
    }

    /// rpmvercmp(3) over one version or release string.
    public static func vercmp(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        let tilde = UInt8(ascii: "~"), caret = UInt8(ascii: "^")
        func skipSeparators(_ s: [UInt8], _ k: inout Int) {
            while k < s.count && !isAlnum(s[k]) && s[k] != tilde && s[k] != caret { k += 1 }
        }
        while i < x.count || j < y.count {
            skipSeparators(x, &i)
            skipSeparators(y, &j)
            let cx: UInt8? = i < x.count ? x[i] : nil
            let cy: UInt8? = j < y.count ? y[j] : nil
            if cx == tilde || cy == tilde {
                if cx != tilde { return 1 }
                if cy != tilde { return -1 }
                i += 1; j += 1
                continue
            }
            if cx == caret || cy == caret {
                if cx == nil { return -1 }
                if cy == nil { return 1 }
                if cx != caret { return 1 }
                if cy != caret { return -1 }
                i += 1; j += 1
                continue
            }
            guard let first = cx, cy != nil else { break }
            let numeric = isDigit(first)
            let inSegment: (UInt8) -> Bool = numeric ? isDigit : isAlpha
            var ei = i, ej = j
            while ei < x.count && inSegment(x[ei]) { ei += 1 }
            while ej < y.count && inSegment(y[ej]) { ej += 1 }
            // y's segment is of the other type: a number beats letters.
            if ej == j { return numeric ? 1 : -1 }
            var sx = x[i..<ei], sy = y[j..<ej]
            if numeric {
                while sx.first == UInt8(ascii: "0") { sx = sx.dropFirst() }
                while sy.first == UInt8(ascii: "0") { sy = sy.dropFirst() }
                if sx.count != sy.count { return sx.count < sy.count ? -1 : 1 }
            }
            if !sx.elementsEqual(sy) {
                return sx.lexicographicallyPrecedes(sy) ? -1 : 1
            }
            i = ei; j = ej
        }
        if i >= x.count && j >= y.count { return 0 }
        return i >= x.count ? -1 : 1
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
}

/// Version ordering for a package manager: dpkg rules for dpkg, rpmvercmp for rpm, and apk
/// (whose `_rc`/`-r` suffixes rpmvercmp orders sensibly enough for up/down detection).
public enum PackageVersion {
    public static func compare(_ a: String, _ b: String, manager: PackageManager) -> Int {
        switch manager {
        case .dpkg: return DebianVersion.compare(a, b)
        case .rpm, .apk: return RPMVersion.compare(a, b)
        }
    }
}
