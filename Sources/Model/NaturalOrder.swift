/// Orders subjects as people read them: digit runs compare as numbers, so "tcp 0.0.0.0:80"
/// comes before "tcp 0.0.0.0:443" and "loop10" after "loop9". Byte order breaks ties, so the
/// order is total and the same on every machine (no locale).
public enum NaturalOrder {
    public static func less(_ a: String, _ b: String) -> Bool {
        // withUTF8 reads native strings in place: sorting a host's few hundred items must not
        // allocate per comparison.
        var a = a, b = b
        let r = a.withUTF8 { x in b.withUTF8 { y in compare(x, y) } }
        return r != 0 ? r < 0 : a < b
    }

    public static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var ei = i, ej = j
                while ei < x.count && isDigit(x[ei]) { ei += 1 }
                while ej < y.count && isDigit(y[ej]) { ej += 1 }
                var si = i, sj = j
                while si < ei - 1 && x[si] == 0x30 { si += 1 }
                while sj < ej - 1 && y[sj] == 0x30 { sj += 1 }
                if ei - si != ej - sj { return ei - si < ej - sj ? -1 : 1 }
                while si < ei {
                    if x[si] != y[sj] { return x[si] < y[sj] ? -1 : 1 }
                    si += 1; sj += 1
                }
                i = ei; j = ej
            } else {
                if x[i] != y[j] { return x[i] < y[j] ? -1 : 1 }
                i += 1; j += 1
            }
        }
        if i < x.count { return 1 }
        if j < y.count { return -1 }
        return 0
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
