import Model

/// Turns one `commands.<index>` step's stdout (``CommandsSection``'s `key=value` lines and the
/// kept bytes as `od` hex) into a ``CommandResult``, judging the declared expectations. Pure,
/// never throws: whatever the host printed, the result is bounded and printable.
enum CommandsParser {
    /// Output bytes kept on the host: the excerpt, and where `stdout_contains` is searched.
    static let capturedBytes = 4096
    /// The excerpt's length in characters after escaping (an escape takes up to 10).
    static let excerptCharacters = 4096

    static func parse(_ stdout: String, check: CommandCheck) -> (result: CommandResult, notes: [String]) {
        var result = CommandResult(name: check.name, compare: check.compare)
        var notes: [String] = []
        let fields = Fields(stdout)
        switch fields.values["run"] {
        case "captured": break
        case "uncaptured":
            notes.append("commands: no mkfifo, tee, dd or wc on the host: only the exit status of declared commands is kept")
        case "none":
            return (unanswered(check, why: "not run: the collector has no temp folder on the host (mktemp and mkdir failed)"), [])
        default:
            return (unanswered(check, why: "no result from the host (its step printed nothing PostPatch understands)"), [])
        }
        let seconds = fields.int("t") ?? CommandsSection.wholeSeconds(check.timeout)
        let rc = fields.int("rc")
        let elapsed = Elapsed(fields)
        result.durationMs = elapsed.milliseconds
        result.timedOut = fields.values["to"] == "1" || timedOutByTool(rc, elapsedSeconds: elapsed.seconds, limit: seconds)
        result.exit = result.timedOut ? nil : rc
        let kept = fields.hexBytes()
        result.outputBytes = max(0, fields.int("kept") ?? kept.count) + max(0, fields.int("rest") ?? 0)
        result.digest = fields.digest()
        result.excerpt = excerpt(kept)
        if fields.values["run"] == "captured" {
            if result.digest == nil { notes.append("commands: no sha256sum or cksum on the host: declared commands' output is not compared") }
            if fields.values["hex"] == "none" { notes.append("commands: no od on the host: declared commands keep no excerpt") }
        }
        if fields.values["held"] == "1" {
            notes.append("commands: '\(printable(check.name))' left a process holding its output open; "
                             + "what it printed after \(CommandsSection.drainGraceSeconds) s was not read")
        }
        result.failed = failures(result, check: check, kept: kept, seconds: seconds,
                                 captured: fields.values["run"] == "captured" && fields.values["hex"] != "none")
        return (result, notes)
    }

    /// A command with no answer: it did not run, or the run ended before it.
    static func unanswered(_ check: CommandCheck, why: String) -> CommandResult {
        CommandResult(name: check.name, failed: [why], compare: check.compare)
    }

    /// GNU timeout exits 124 (137 once it had to KILL), busybox's leaves the TERM (143): a status
    /// the command could give itself, so it counts only once the limit has passed.
    static func timedOutByTool(_ rc: Int?, elapsedSeconds: Int?, limit: Int) -> Bool {
        guard let rc, [124, 137, 143].contains(rc), let elapsedSeconds else { return false }
        return elapsedSeconds >= limit
    }

    /// The declared expectations that failed, one line each.
    static func failures(_ r: CommandResult, check: CommandCheck, kept: [UInt8], seconds: Int, captured: Bool) -> [String] {
        if r.timedOut { return ["timed out after \(seconds) s"] }
        var failed: [String] = []
        guard let exit = r.exit else { return ["no exit status from the host"] }
        if let expected = check.expectExit, exit != expected {
            failed.append("exited \(exit) (expected \(expected))")
        }
        if let needle = check.expectStdoutContains {
            let quoted = "'\(printable(needle))'"
            if !captured {
                failed.append("output not captured on the host, so it cannot show \(quoted)")
            } else if !ByteSearch.contains(Array(needle.utf8), in: kept) {
                let searched = r.outputBytes > kept.count ? "its first \(kept.count) of \(r.outputBytes) bytes" : "its \(kept.count) bytes"
                failed.append("output lacks \(quoted) (\(searched) searched)")
            }
        }
        return failed
    }

    /// The kept bytes as text: invalid UTF-8 becomes U+FFFD, every control and format character
    /// but newline and tab is escaped (`\u{1B}`), and the whole is at most `excerptCharacters` long.
    static func excerpt(_ bytes: [UInt8]) -> String {
        var out = ""
        var count = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let piece = scalar == "\n" || scalar == "\t" || !needsEscape(scalar) ? String(scalar) : scalar.escaped(asASCII: true)
            if count + piece.count > excerptCharacters { return out + "…" }
            out += piece
            count += piece.count
        }
        return out
    }

    /// One line for a message: control characters escaped, at most `limit` characters.
    static func printable(_ text: String, limit: Int = 120) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if out.count >= limit { return out + "…" }
            out += needsEscape(scalar) ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }
}

/// The step's `key=value` lines (the first of each key wins) and its `od` hex lines.
private struct Fields {
    var values: [String: String] = [:]
    var hexLines: [Substring] = []

    init(_ stdout: String) {
        var inHex = false
        for line in stdout.lines() {
            if inHex, line.first == " " || line.first?.isHexDigit == true {
                hexLines.append(line)
                continue
            }
            inHex = false
            if line == "hex" { inHex = true; continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            if values[key] == nil { values[key] = String(line[line.index(after: eq)...]).strippingSpaces() }
        }
    }

    func int(_ key: String) -> Int? {
        values[key].flatMap { Int($0) }
    }

    /// The kept bytes; never more than the host was asked to keep, whatever the lines say.
    func hexBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        for line in hexLines {
            for word in line.split(separator: " ") {
                guard bytes.count < CommandsParser.capturedBytes else { return bytes }
                if word.count == 2, let b = UInt8(word, radix: 16) { bytes.append(b) }
            }
        }
        return bytes
    }

    /// "sha256:<64 hex>" or "cksum:<decimal>", lowercase; anything else is no digest.
    func digest() -> String? {
        guard let sum = values["sum"] else { return nil }
        if sum.hasPrefix("sha256:") {
            let hex = sum.dropFirst(7).lowercased()
            return hex.count == 64 && hex.allSatisfy(\.isHexDigit) ? "sha256:" + hex : nil
        }
        if sum.hasPrefix("cksum:") {
            let crc = sum.dropFirst(6)
            return !crc.isEmpty && crc.count <= 10 && crc.allSatisfy(\.isASCII) && crc.allSatisfy(\.isNumber) ? "cksum:" + crc : nil
        }
        return nil
    }
}

/// How long the command took, from `date +%s%N` (GNU) or `date +%s` (busybox prints no nanoseconds).
private struct Elapsed {
    var seconds: Int?
    var milliseconds: Int?

    init(_ f: Fields) {
        if let s0 = f.int("s0"), let s1 = f.int("s1"), s1 >= s0, s1 - s0 < 10_000_000 { seconds = s1 - s0 }
        if let n0 = f.values["n0"].flatMap({ Int64($0) }), let n1 = f.values["n1"].flatMap({ Int64($0) }),
           f.values["n0"]?.count ?? 0 >= 16, n1 >= n0, n1 - n0 < 10_000_000 * 1_000_000_000 {
            milliseconds = Int((n1 - n0) / 1_000_000)
        } else {
            milliseconds = seconds.map { $0 * 1000 }
        }
    }
}

private extension String {
    func strippingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
