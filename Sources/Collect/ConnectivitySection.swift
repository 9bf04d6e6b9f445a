import Model

/// Connectivity from the host: one step per check, `connectivity.<index>`. TCP through
/// `nc -z -w T`, else bash's /dev/tcp (bash only when installed, the address passed as an
/// argument, never spliced into code); ping through `ping -c 1 -W T`. Latency comes from
/// `date +%s%N` around the call, when the host's date prints nanoseconds (GNU does, busybox not).
enum ConnectivitySection {
    static func fragment(_ checks: [ConnectivityCheck]) -> String {
        checks.enumerated().map { index, check -> String in
            guard CheckValidation.connectivity(check) == nil else { return "" }
            let t = CheckValidation.wholeSeconds(check.timeout)
            let outer = t + 2
            let target = ShellQuote.quote(check.target)
            let stamp = "printf 't%s=%s\\n' 0 \"$(date +%s%N)\""
            let after = "echo \"rc=$?\"; printf 't%s=%s\\n' 1 \"$(date +%s%N)\""
            let body: String
            if check.ping {
                body = """
                if pp_has ping; then echo method=ping; \(stamp)
                pp_tt \(outer) ping -c 1 -W \(t) \(target) >/dev/null; \(after)
                else echo method=none; fi
                """
            } else {
                let port = ShellQuote.quote(String(check.port ?? 0))
                body = """
                if pp_has nc; then echo method=nc; \(stamp)
                pp_tt \(outer) nc -z -w \(t) \(target) \(port) >/dev/null; \(after)
                elif pp_has bash; then echo method=bash-dev-tcp; \(stamp)
                pp_tt \(t) bash -c 'exec 3<>"/dev/tcp/$1/$2"' postpatch \(target) \(port); \(after)
                else echo method=none; fi
                """
            }
            // The directive also covers bash's `$1` and `$2`, single-quoted for bash -c on purpose.
            return ScriptFraming.step(Step(.connectivity, "\(index)"), body, shellcheck: ScriptFraming.checksTextDirective)
        }.joined()
    }

    static func parse(_ output: ScriptOutput, checks: [ConnectivityCheck]) -> [ConnectivityResult] {
        checks.enumerated().map { index, check in
            var result = ConnectivityResult(target: check.target, port: check.ping ? nil : check.port,
                                            kind: check.ping ? .ping : .tcp, reachable: false)
            let found = output.probeStep(Step(.connectivity, "\(index)"), invalid: CheckValidation.connectivity(check))
            guard let step = found.step else { result.error = found.error; return result }
            let kv = KeyValueLines.parse(step.stdout)
            result.method = kv["method"]
            if kv["method"] == "none" || kv["method"] == nil {
                result.method = nil
                result.error = check.ping ? "no ping on the host" : "no nc or bash on the host for a TCP check"
                return result
            }
            let rc = kv["rc"].flatMap { Int($0) }
            result.reachable = rc == 0
            if result.reachable {
                result.latencyMs = latency(kv["t0"], kv["t1"])
            } else if rc == 124 || rc == 143 {
                result.error = "no answer within \(CheckValidation.wholeSeconds(check.timeout)) s"
            } else if let detail = step.stderrHeadline {
                result.error = detail
            } else {
                let what = check.ping ? "no ping reply" : "connection failed"
                result.error = "\(what) (\(result.method ?? "tool") exit \(rc.map(String.init) ?? "?"))"
            }
            return result
        }
    }

    /// Milliseconds between two `date +%s%N` stamps; nil when date could not give nanoseconds.
    static func latency(_ t0: String?, _ t1: String?) -> Double? {
        guard let a = t0, let b = t1, a.count >= 16, b.count >= 16,
              let start = Int64(a), let end = Int64(b), end >= start else { return nil }
        return Double(end - start) / 1_000_000
    }
}

extension ConnectivitySection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.connectivity) }, capture: nil,
        parse: { output, context, snapshot in
            snapshot.connectivity = parse(output, checks: context.checks.connectivity)
            return .init()
        }, fuzzTargets: ["Snapshot"])
}
