import Model

/// Turns the `files.stat` step's lines (``FilesSection``) into one ``FileResult`` per declared
/// file, by index. Pure, never throws: a file the output says nothing of (the step was cut
/// short) is left out, and an odd value is kept as unknown.
enum FilesParser {
    static func parse(_ text: String, checks: [FileCheck]) -> (results: [FileResult], notes: [String]) {
        var fields: [Int: [String: String]] = [:]
        var current: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("@ ") {
                current = Int(line.dropFirst(2)).flatMap { checks.indices.contains($0) ? $0 : nil }
                if let current, fields[current] == nil { fields[current] = [:] }
                continue
            }
            guard let current, let eq = line.firstIndex(of: "=") else { continue }
            fields[current]?[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        var notes: Set<String> = []
        var results: [FileResult] = []
        for (index, check) in checks.enumerated() {
            guard let f = fields[index] else { continue }
            if f["type"] == "missing" {
                results.append(FileResult(path: check.path, type: .missing))
                continue
            }
            var result = FileResult(path: check.path, type: .other)
            let words = (f["stat"] ?? "").split(separator: " ", maxSplits: 3)
            if words.count == 4, words[0].allSatisfy({ ("0"..."7").contains($0) }) {
                result.mode = String(words[0])
                result.owner = String(words[1])
                result.group = String(words[2])
                result.type = fileType(String(words[3]))
            } else {
                result.error = "stat gave no answer"
                notes.insert("files: no stat (GNU or busybox) on the host, or it failed: declared files' mode and owner unknown")
            }
            if let sum = f["sum"], let colon = sum.firstIndex(of: ":"), sum.index(after: colon) < sum.endIndex {
                let value = sum[sum.index(after: colon)...]
                if value.allSatisfy(\.isHexDigit) || value.allSatisfy(\.isNumber) { result.digest = sum.lowercased() }
            }
            switch f["err"] {
            case "unreadable": result.error = "not readable (run as root or with --sudo)"
            case "digest": result.error = "no digest (no sha256sum or cksum, or it timed out)"
            default: break
            }
            results.append(result)
        }
        return (results, notes.sorted())
    }

    /// stat's `%F`: "regular file", "regular empty file", "directory", "symbolic link", ...
    static func fileType(_ text: String) -> FileResult.FileType {
        switch text {
        case "regular file", "regular empty file": return .file
        case "directory": return .directory
        case "symbolic link": return .symlink
        default: return .other
        }
    }
}
