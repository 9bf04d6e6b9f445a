/// The folder part of a path, without NSString's `deletingLastPathComponent`, which traps
/// (SIGILL) on a one-character name such as `i` or `r/` in swift-corelibs-foundation.
public enum PathText {
    /// "a/b/c" → "a/b", "/c" → "/", "c" → "" (as NSString would answer).
    public static func directory(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        var dir = p[..<slash]
        while dir.count > 1, dir.hasSuffix("/") { dir = dir.dropLast() }
        return String(dir)
    }
}
