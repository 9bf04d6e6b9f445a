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
            return ScriptFraming.step("http.\(index)", body(check, index: index))
        }.joined()
    }

    /// Shell assignments of the credential headers, put before the script at run time only:
    /// `PP_HA<i>` holds the Authorization value, or `PP_HE<i>` why there is none (naming the
    /// variable, never its value). Not exported, so no child process sees them.
    public static func credentials(_ checks: [HTTPCheck], environment: [String: String]) -> String {
        checks.enumerated().map { index, check -> String in
            guard check.via == .host, let outcome = HTTPCheckCredential.authorization(check, environment: environment) else { return "" }
            switch outcome {
            case .success(let header): return "PP_HA\(index)=\(ShellQuote.quote(header))\n"
            case .failure(let problem): return "PP_HE\(index)=\(ShellQuote.quote(problem.message))\n"
            }
        }.joined()
    }

    static func body(_ check: HTTPCheck, index i: Int) -> String {
        let files = "\"$PP_T/http.\(i)"
        let (h, r, b) = (files + ".h\"", files + ".r\"", files + ".b\"")
        let limit = HTTPCheck.bodyLimit
        let seconds = "\(check.timeout)"
        let outer = CheckValidation.wholeSeconds(check.timeout) + 2
        let url = ShellQuote.quote(check.url)
        let sorted = check.headers.sorted { $0.key.lowercased() < $1.key.lowercased() }
        // curl drops a header given as "Name:" and sends an empty one for "Name;".
        let curlHeaders = sorted.map { " -H " + ShellQuote.quote($0.value.isEmpty ? "\($0.key);" : "\($0.key): \($0.value)") }.joined()
        let wgetHeaders = sorted.map { " --header " + ShellQuote.quote("\($0.key): \($0.value)") }.joined()
        let insecure = check.tlsVerify ? "" : " -k"
        let wgetInsecure = check.tlsVerify ? "" : " --no-check-certificate"
        let needsAuth = check.basicAuthEnv != nil || check.bearerEnv != nil
        // No ~/.curlrc (-q, first), no progress, errors on stderr, no redirect followed.
        let curlArgs = "-q -sS -D \(h) --max-time \(seconds) --connect-timeout \(seconds)\(insecure)\(curlHeaders)"
        let curl = needsAuth
            ? "printf 'header = \"Authorization: %s\"\\n' \"$PP_HA\(i)\" | pp_tt \(outer) curl \(curlArgs) -K - -- \(url)"
            : "pp_tt \(outer) curl \(curlArgs) -- \(url)"
        var lines: [String] = []
        // The name goes into a comment only when it is a plain name (Config allows no other).
        if let variable = check.basicAuthEnv ?? check.bearerEnv,
           variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            let key = check.basicAuthEnv != nil ? "basic_auth_env" : "bearer_env"
            lines.append("# PP_HA\(i): the Authorization header from $\(variable) (\(key)), or PP_HE\(i): why there is none; "
                             + "set before this script at run time, never printed")
        }
        lines.append("if [ -z \"$PP_T\" ]; then echo tool=notmp")
        if needsAuth {
            lines.append("elif [ -n \"${PP_HE\(i):-}\" ]; then printf 'autherror=%s\\n' \"$PP_HE\(i)\"")
            lines.append("elif [ -z \"${PP_HA\(i):-}\" ]; then echo tool=nocredential")
        }
        lines.append("elif pp_has curl; then")
        if needsAuth {
            // printf must be the shell's own: a printf binary would carry the credential in its argv.
            lines.append("case \"$(command -V printf 2>/dev/null)\" in *builtin*) ;; *) echo tool=noprintf; exit 0 ;; esac")
        }
        lines += [
            "echo tool=curl",
            "( \(curl); echo \"$?\" >\(r) ) | head -c \(limit) >\(b)",
            "grep -i -E '^(HTTP/|location:)' \(h) 2>/dev/null | head -n 20 | sed 's/^/h=/'",
        ]
        if needsAuth {
            lines.append("elif pp_has wget; then echo tool=wget-credential")
        } else {
            lines += [
                "elif pp_has wget; then echo tool=wget",
                // GNU wget retries, follows redirects and drops error bodies unless told, and its -q
                // would silence its errors too; busybox's takes none of these (and -T crashes 1.35).
                "pp_w=; if wget --version 2>/dev/null | grep -q 'GNU Wget'; then pp_w='-nv -t 1 -T \(CheckValidation.wholeSeconds(check.timeout)) --max-redirect=0 --content-on-error'; fi",
                "( pp_tt \(outer) wget -S -O - $pp_w\(wgetInsecure)\(wgetHeaders) -- \(url) 2>\(h); echo \"$?\" >\(r) ) | head -c \(limit) >\(b)",
                "grep -i -E '^ *(HTTP/|location:)' \(h) 2>/dev/null | head -n 20 | sed 's/^ */h=/'",
                "grep -v '^ ' \(h) 2>/dev/null | tail -n 3 >&2",
            ]
        }
        lines.append("else echo tool=none; fi")
        lines.append("if [ -f \(r) ]; then echo \"rc=$(cat \(r))\"; echo \"bytes=$(wc -c <\(b))\"")
        if let text = check.contains {
            lines.append("if grep -F -q -e \(ShellQuote.quote(text)) \(b); then echo match=1; else echo match=0; fi")
        }
        lines.append("rm -f \(h) \(r) \(b); fi")
        return lines.joined(separator: "\n")
    }
}
