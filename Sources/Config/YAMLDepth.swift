/// A cap on how deeply YAML nests, checked on the text before Yams builds its tree: Yams (and
/// libyaml under it) recurse once per level, so a few thousand levels (`[[[[...` or `- - - ...`)
/// overflow the stack and end the run with SIGSEGV and no word. A checks file, an inventory or
/// a vars file needs a dozen levels; `limit` leaves ample room.
enum YAMLDepth {
    static let limit = 200

    /// Throws when some line nests deeper than `limit`: block indentation, `- `/`? ` indicators
    /// and flow brackets counted together (an over-count only for brackets inside quotes or
    /// block scalars, never an under-count that lets a deep file through).
    static func check(_ text: String, file: String) throws {
        var indents: [Int] = []
        var flow = 0
        var line = 0
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            line += 1
            let bytes = Array(raw)
            var i = 0
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
            guard i < bytes.count, bytes[i] != UInt8(ascii: "#"), bytes[i] != UInt8(ascii: "\r") else { continue }
            if flow == 0 {
                while let last = indents.last, last >= i { indents.removeLast() }
                indents.append(i)
            }
            var block = 0
            while i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "?"),
                  bytes[i + 1] == UInt8(ascii: " ") {
                block += 1
                i += 2
                while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
            }
            let deepest = scanFlow(bytes[i...], depth: &flow)
            if indents.count + block + deepest > limit {
                throw ConfigError(file: file, line: line, column: 1,
                                  message: "YAML nested more than \(limit) levels deep; a PostPatch config or inventory "
                                      + "needs a dozen: this is not the file you meant, or it was generated wrongly")
            }
        }
    }

    /// Follows `[`/`{` and `]`/`}` outside quotes and comments; returns the deepest level on the line.
    private static func scanFlow(_ bytes: ArraySlice<UInt8>, depth: inout Int) -> Int {
        var deepest = depth
        var quote: UInt8? = nil
        var previous = UInt8(ascii: " ")
        for b in bytes {
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\""), depth > 0 || previous == UInt8(ascii: " ") {
                quote = b
            } else if b == UInt8(ascii: "'"), previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[")
                        || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",") {
                quote = b
            } else if b == UInt8(ascii: "#"), previous == UInt8(ascii: " ") {
                break
            } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                depth += 1
                deepest = max(deepest, depth)
            } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
            previous = b
        }
        return deepest
    }
}
