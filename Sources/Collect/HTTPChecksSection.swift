import Model

/// Declared HTTP checks with `via: host`: the host's own client asks, inside the collector's one
/// round trip. One step per check, `http.<index>` (the index in the host's `http:` list): curl
/// when present, else wget (GNU or busybox), each bounded by `timeout`, the body kept to
/// `HTTPCheck.bodyLimit` bytes in the script's temp dir and searched there with `grep -F`.
/// The step prints `tool=`, `rc=`, `bytes=`, `match=` lines and the status and Location lines
/// of the answer as `h=` lines; ``HTTPChecksParser`` reads them.
///
/// A credential never reaches any process's argv: its header travels in shell variables the
/// run sets before the script (``credentials(_:environment:)``, not part of the printed
/// script) and reaches curl on stdin (`curl -K -`) from the shell's builtin printf. wget could
/// only take it as an argument, so a check with a credential and no curl fails instead.
public enum HTTPChecksSection {
    static func fragment(_ checks: [HTTPCheck]) -> String {
        checks.enumerated().map { index, check -> String in
            guard check.via == .host, HTTPChecksParser.invalid(check) == nil else { return "" }
            return ScriptFraming.step(Step(.http, "\(index)"), body(check, index: index), shellcheck: ScriptFraming.checksTextDirective)
        }.joined()
    }

    /// Shell assignments of the credential headers, put before the script at run time only:
    /// `PP_HA<i>` holds the Authorization value, or `PP_HE<i>` why there is none (naming the
    /// variable, never its value). Not exported, so no child process sees them.
    public static func credentials(_ checks: [HTTPCheck], environment: [String: String]) -> String {
        checks.enumerated().map { index, check -> String in
            // Only for checks the script runs (see fragment): a variable no step reads is dead text.
            guard check.via == .host, HTTPChecksParser.invalid(check) == nil,
                  let outcome = HTTPCheckCredential.authorization(check, environment: environment) else { return "" }
            switch outcome {
            case .success(let header): return "PP_HA\(index)=\(ShellQuote.quote(header))\n"
            case .failure(let problem): return "PP_HE\(index)=\(ShellQuote.quote(problem.message))\n"
            }
        }.joined()
    }

    /// The temporary files of check `i`: response headers, curl's or wget's exit status, the body.
    private struct Files {
        let headers: String, status: String, body: String
        init(_ i: Int) {
            let stem = "\"$PP_TMP/http.\(i)"
            (headers, status, body) = (stem + ".headers\"", stem + ".status\"", stem + ".body\"")
        }
    }

    static func body(_ check: HTTPCheck, index i: Int) -> String {
        let files = Files(i)
        let needsAuth = check.basicAuthEnv != nil || check.bearerEnv != nil
        var lines = authComment(check, index: i)
        lines.append("if [ -z \"$PP_TMP\" ]; then echo tool=notmp")
        if needsAuth {
            lines.append("elif [ -n \"${PP_HE\(i):-}\" ]; then printf 'autherror=%s\\n' \"$PP_HE\(i)\"")
            lines.append("elif [ -z \"${PP_HA\(i):-}\" ]; then echo tool=nocredential")
        }
        lines += curlLines(check, index: i, files: files, needsAuth: needsAuth)
        lines += needsAuth ? ["elif pp_has wget; then echo tool=wget-credential"] : wgetLines(check, files: files)
        lines.append("else echo tool=none; fi")
        lines.append("if [ -f \(files.status) ]; then echo \"rc=$(cat \(files.status))\"; echo \"bytes=$(wc -c <\(files.body))\"")
        if let text = check.contains {
            lines.append("if grep -F -q -e \(ShellQuote.quote(text)) \(files.body); then echo match=1; else echo match=0; fi")
        }
        lines.append("rm -f \(files.headers) \(files.status) \(files.body); fi")
        return lines.joined(separator: "\n")
    }

    /// A comment naming the variable the credential comes from, only when it is a plain name
    /// (Config allows no other).
    private static func authComment(_ check: HTTPCheck, index i: Int) -> [String] {
        guard let variable = check.basicAuthEnv ?? check.bearerEnv,
              variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return [] }
        let key = check.basicAuthEnv != nil ? "basic_auth_env" : "bearer_env"
        return ["# PP_HA\(i): the Authorization header from $\(variable) (\(key)), or PP_HE\(i): why there is none; "
                    + "set before this script at run time, never printed"]
    }

    /// The curl branch: no ~/.curlrc (-q, first), no progress, errors on stderr, no redirect
    /// followed; the credential goes in on stdin (-K -), from the shell's own printf.
    private static func curlLines(_ check: HTTPCheck, index i: Int, files: Files, needsAuth: Bool) -> [String] {
        let seconds = "\(check.timeout)"
        let outer = CheckValidation.wholeSeconds(check.timeout) + 2
        let url = ShellQuote.quote(check.url)
        // curl drops a header given as "Name:" and sends an empty one for "Name;".
        let headers = sortedHeaders(check).map { " -H " + ShellQuote.quote($0.value.isEmpty ? "\($0.key);" : "\($0.key): \($0.value)") }.joined()
        let insecure = check.tlsVerify ? "" : " -k"
        let args = "-q -sS -D \(files.headers) --max-time \(seconds) --connect-timeout \(seconds)\(insecure)\(headers)"
        let curl = needsAuth
            ? "printf 'header = \"Authorization: %s\"\\n' \"$PP_HA\(i)\" | pp_tt \(outer) curl \(args) -K - -- \(url)"
            : "pp_tt \(outer) curl \(args) -- \(url)"
        var lines = ["elif pp_has curl; then"]
        if needsAuth {
            // printf must be the shell's own: a printf binary would carry the credential in its argv.
            lines.append("case \"$(command -V printf 2>/dev/null)\" in *builtin*) ;; *) echo tool=noprintf; exit 0 ;; esac")
        }
        return lines + [
            "echo tool=curl",
            "( \(curl); echo \"$?\" >\(files.status) ) | head -c \(HTTPCheck.bodyLimit) >\(files.body)",
            "grep -i -E '^(HTTP/|location:)' \(files.headers) 2>/dev/null | head -n 20 | sed 's/^/h=/'",
        ]
    }

    /// The wget branch (checks without a credential only).
    private static func wgetLines(_ check: HTTPCheck, files: Files) -> [String] {
        let outer = CheckValidation.wholeSeconds(check.timeout) + 2
        let headers = sortedHeaders(check).map { " --header " + ShellQuote.quote("\($0.key): \($0.value)") }.joined()
        let insecure = check.tlsVerify ? "" : " --no-check-certificate"
        return [
            "elif pp_has wget; then echo tool=wget",
            // GNU wget retries, follows redirects and drops error bodies unless told, and its -q
            // would silence its errors too; busybox's takes none of these (and -T crashes 1.35).
            "set --; if wget --version 2>/dev/null | grep -q 'GNU Wget'; then set -- -nv -t 1 -T \(CheckValidation.wholeSeconds(check.timeout)) --max-redirect=0 --content-on-error; fi",
            "( pp_tt \(outer) wget -S -O - \"$@\"\(insecure)\(headers) -- \(ShellQuote.quote(check.url)) 2>\(files.headers); echo \"$?\" >\(files.status) ) | head -c \(HTTPCheck.bodyLimit) >\(files.body)",
            "grep -i -E '^ *(HTTP/|location:)' \(files.headers) 2>/dev/null | head -n 20 | sed 's/^ */h=/'",
            "grep -v '^ ' \(files.headers) 2>/dev/null | tail -n 3 >&2",
        ]
    }

    private static func sortedHeaders(_ check: HTTPCheck) -> [(key: String, value: String)] {
        check.headers.sorted { $0.key.lowercased() < $1.key.lowercased() }
    }
}

extension HTTPChecksSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.http) }, capture: nil,
        parse: { output, context, snapshot in
            snapshot.httpChecks = HTTPChecksParser.parse(output, checks: context.checks.http)
            return .init()
        }, fuzzTargets: ["Snapshot"])
}
