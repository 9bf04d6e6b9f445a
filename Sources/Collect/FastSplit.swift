/// Line and field splitting on the UTF-8 bytes of command output. Splitting a String by
/// Character runs grapheme breaking on every byte, which made it the hot spot of parsing a
/// capture (thousands of dpkg, ss and /proc/net lines per host). Separators here are ASCII,
/// so every cut falls on a character boundary and the pieces are ordinary Substrings.
extension StringProtocol where SubSequence == Substring {
    /// Non-empty lines, split at \n, \r, \v and \f: what `split(whereSeparator: \.isNewline)`
    /// gives for command output (it also knows U+0085, U+2028 and U+2029, which tools do not print).
    func lines() -> [Substring] {
        split(bytes: [10, 13, 11, 12], omittingEmpty: true)
    }

    /// Fields separated by one ASCII byte, as `split(separator:omittingEmptySubsequences:)`.
    func fields(_ separator: UInt8, omittingEmpty: Bool = true) -> [Substring] {
        split(bytes: [separator], omittingEmpty: omittingEmpty)
    }

    private func split(bytes separators: [UInt8], omittingEmpty: Bool) -> [Substring] {
        let u = utf8
        // Contiguous UTF-8 (every native string): one pass over the bytes, indices by offset.
        let fast = u.withContiguousStorageIfAvailable { bytes -> [Substring] in
            var out: [Substring] = []
            var start = 0, cursor = u.startIndex, cursorOffset = 0
            // Offsets only grow: each index is reached from the last, never from the start.
            func index(_ offset: Int) -> String.Index {
                cursor = u.index(cursor, offsetBy: offset - cursorOffset)
                cursorOffset = offset
                return cursor
            }
            let single = separators.count == 1 ? separators[0] : nil
            for k in 0..<bytes.count {
                let b = bytes[k]
                guard single.map({ b == $0 }) ?? separators.contains(b) else { continue }
                if !omittingEmpty || start != k {
                    let from = index(start)
                    out.append(self[from..<index(k)])
                }
                start = k + 1
            }
            if !omittingEmpty || start != bytes.count { out.append(self[index(start)..<u.endIndex]) }
            return out
        }
        if let fast { return fast }
        var out: [Substring] = []
        var start = u.startIndex
        var i = start
        while i != u.endIndex {
            if separators.contains(u[i]) {
                if !omittingEmpty || start != i { out.append(self[start..<i]) }
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        if !omittingEmpty || start != u.endIndex { out.append(self[start..<u.endIndex]) }
        return out
    }
}
