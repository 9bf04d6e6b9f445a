import Model

/// Reads the `http.<index>` steps of ``HTTPChecksSection`` into results of `via: host` checks.
/// Pure and never failing: an odd step gives a result with `error`, so every declared check
/// comes back once. Host text (the Location, client errors) is kept printable and bounded.
enum HTTPChecksParser {
    /// Why a check cannot go into the script at all (a URL the config would have refused).
    static func invalid(_ check: HTTPCheck) -> String? {
        do { _ = try HTTPCheckURL.parse(check.url) } catch { return "url \(error)" }
        if let text = check.contains, text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return "'contains' holds a control character"
        }
        return nil
    }

    static func parse(_ output: ScriptOutput, checks: [HTTPCheck]) -> [HTTPCheckResult] {
        checks.enumerated().compactMap { index, check in
            check.via == .host ? result(output, check, index: index) : nil
        }
    }

    static func result(_ output: ScriptOutput, _ check: HTTPCheck, index: Int) -> HTTPCheckResult {
        var result = HTTPCheckResult(name: check.name, url: check.url, via: .host)
        func failed(_ error: String) -> HTTPCheckResult {
            result.error = error
            result.failed = check.failures(status: nil, containsMatched: nil, error: error)
            return result
        }
        let found = output.probeStep(Step(.http, "\(index)"), invalid: invalid(check))
        guard let step = found.step else { return failed(found.error ?? "no result from the host") }
        let kv = KeyValueLines.parse(step.stdout)
        if let why = kv["autherror"] { return failed(printable(why)) }
        let tool = kv["tool"] ?? "none"
        switch tool {
        case "curl", "wget": break
        case "notmp": return failed("no temporary directory on the host (mktemp and mkdir in $TMPDIR failed)")
        case "nocredential": return failed("the credential was not handed to the script: run the check through postpatch")
        case "noprintf": return failed("the host's /bin/sh has no builtin printf to hand the credential to curl unseen; the check was not run")
        case "wget-credential":
            return failed("only wget on the host, which would show the credential in the process list: install curl there, or use 'via: tunnel'")
        default: return failed("no curl or wget on the host")
        }
        let rc = kv["rc"].flatMap { Int($0.trimmed(" ")) }
        let (status, location) = answer(KeyValueLines.all("h", in: step.stdout), last: tool == "curl")
        guard let status else { return failed(clientError(tool, rc: rc, stderr: step.stderr, check: check)) }
        result.status = status
        if (300..<400).contains(status), let location { result.location = printable(location, limit: 512) }
        var searchedAll = true
        if check.contains != nil {
            result.containsMatched = kv["match"] == "1"
            let bytes = kv["bytes"].flatMap { Int($0.trimmed(" ")) } ?? 0
            searchedAll = result.containsMatched == true || bytes < HTTPCheck.bodyLimit
        }
        result.failed = check.failures(status: status, containsMatched: result.containsMatched, searchedAll: searchedAll)
        return result
    }

    /// The status line and its Location among the printed head lines. curl, which follows no
    /// redirect, may print an interim head first (a proxy's, a 1xx): its last head is the answer.
    /// busybox wget follows redirects whatever it is told: its first head is the URL's own answer.
    static func answer(_ lines: [String], last: Bool) -> (status: Int?, location: String?) {
        var heads: [(status: Int, location: String?)] = []
        for raw in lines {
            let line = raw.trimmed(" \r\t")
            if line.lowercased().hasPrefix("http/") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 2, parts[1].count == 3, let code = Int(parts[1]), (100...599).contains(code) {
                    heads.append((code, nil))
                }
            } else if line.lowercased().hasPrefix("location:"), !heads.isEmpty, heads[heads.count - 1].location == nil {
                heads[heads.count - 1].location = line.dropFirst("location:".count).trimmed(" \t")
            }
        }
        let chosen = last ? heads.last : heads.first
        return (chosen?.status, chosen?.location)
    }

    /// Why the client got no status: a timeout in the check's words, TLS named as such, else
    /// the client's own complaint.
    static func clientError(_ tool: String, rc: Int?, stderr: String, check: HTTPCheck) -> String {
        // curl 28: its --max-time; 124 (GNU timeout) or 143 (busybox timeout's TERM): the outer bound.
        if rc == 124 || rc == 143 || (tool == "curl" && rc == 28) { return check.noAnswerText }
        // curl says it on its first line (a hint may follow); wget's last line is its verdict.
        let lines = stderr.lines().map { $0.trimmed(" \t") }.filter { !$0.isEmpty }
        let said = (tool == "curl" ? lines.first : lines.last).map { printable($0.hasPrefix(tool) ? $0 : "\(tool): \($0)") }
        // GNU wget's own -T ends with "Read error (Connection timed out)" and exit 4.
        if said?.contains("timed out") == true { return check.noAnswerText }
        let detail = said ?? "\(tool) exit \(rc.map(String.init) ?? "?")"
        // curl: 60 unverified chain, 51/90/91 name or pin; GNU wget: 5 SSL verification failure.
        let verification: Set<Int> = tool == "curl" ? [51, 60, 90, 91] : [5]
        let handshake: Set<Int> = tool == "curl" ? [35, 53, 54, 58, 59, 64, 66, 77, 80, 83] : []
        if let rc, verification.contains(rc) { return "TLS verification failed: \(detail)" }
        if let rc, handshake.contains(rc) { return "TLS handshake failed: \(detail)" }
        return detail
    }

    /// One line of printable text, at most `limit` characters: host output cannot forge lines
    /// or escape sequences in a report.
    static func printable(_ text: String, limit: Int = 300) -> String {
        var out = String.UnicodeScalarView()
        for (n, scalar) in text.unicodeScalars.enumerated() {
            if n == limit { out.append("…"); break }
            out.append(scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value) ? "." : scalar)
        }
        return String(out)
    }
}

private extension StringProtocol {
    func trimmed(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
