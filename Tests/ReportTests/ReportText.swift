/// Reading rendered reports back in tests: where terminal columns start, one host's HTML matrix row.
enum ReportText {
    /// Character offsets where a column starts: a non-space after at least two spaces.
    static func columnStarts(_ line: String) -> [Int] {
        var starts: [Int] = []
        var spaces = 0
        for (i, c) in line.enumerated() {
            if c == " " { spaces += 1; continue }
            if spaces >= 2 { starts.append(i) }
            spaces = 0
        }
        return starts
    }

    /// The HTML matrix row of one host, from its name to its `</tr>`.
    static func matrixRow(_ html: String, _ host: String) -> String {
        guard let start = html.range(of: "\">\(host)</a></th>"),
              let end = html.range(of: "</tr>", range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }
}
