import Foundation
import Model

/// Name resolution from the host: one step per check, `dns.<index>`. Without a type or server,
/// `getent ahosts` (what the host's applications get, /etc/hosts and nsswitch included);
/// with either, `dig`, which also says why nothing came back (NXDOMAIN, SERVFAIL, timeout).
enum DNSSection {
    static func fragment(_ checks: [DNSCheck]) -> String {
        checks.enumerated().map { index, check -> String in
            guard CheckValidation.dns(check) == nil else { return "" }
            let name = ShellQuote.quote(check.name)
            let body: String
            if check.type == nil && check.server == nil {
                body = "if pp_has getent; then echo method=getent; pp_to getent ahosts \(name)\nelse echo method=none; fi"
            } else {
                var args = ["+noall", "+comments", "+answer", "+time=5", "+tries=1"].joined(separator: " ")
                if let server = check.server {
                    let (address, port) = CheckValidation.splitServer(server)
                    if let port { args += " -p \(ShellQuote.quote(port))" }
                    args += " " + ShellQuote.quote("@" + address)
                }
                args += " \(name) \(ShellQuote.quote(check.type ?? "A"))"
                body = "if pp_has dig; then echo method=dig; pp_to dig \(args)\nelse echo method=none; fi"
            }
            return ScriptFraming.step(Step(.dns, "\(index)"), body, shellcheck: ScriptFraming.checksTextDirective)
        }.joined()
    }

    static func parse(_ output: ScriptOutput, checks: [DNSCheck]) -> [DNSResult] {
        checks.enumerated().map { index, check in
            var result = DNSResult(name: check.name, type: check.type, server: check.server)
            let found = output.probeStep(Step(.dns, "\(index)"), invalid: CheckValidation.dns(check))
            guard let step = found.step else { result.error = found.error; return result }
            let lines = step.stdout.lines()
            let method = lines.first { $0.hasPrefix("method=") }.map { String($0.dropFirst(7)) }
            let body = lines.filter { !$0.hasPrefix("method=") }
            switch method {
            case "getent":
                result.method = "getent"
                result.answers = Array(Set(body.compactMap { $0.split(separator: " ").first.map(String.init) })).sorted()
                if result.answers.isEmpty {
                    result.error = step.status == 2 ? "not found (getent ahosts)" : failure(step, "getent")
                }
            case "dig":
                result.method = "dig"
                let dig = DigParser.parse(body, type: check.type ?? "A")
                result.answers = dig.answers
                if dig.answers.isEmpty {
                    if let status = dig.status, status != "NOERROR" { result.error = status }
                    else if dig.status == "NOERROR" { result.error = "no \(check.type ?? "A") record (NOERROR)" }
                    else if let why = dig.problem { result.error = "no server answered: \(why)" }
                    else { result.error = failure(step, "dig") }
                }
            default:
                result.error = check.type == nil && check.server == nil ? "no getent on the host" : "no dig on the host"
            }
            return result
        }
    }

    static func failure(_ step: StepOutput, _ tool: String) -> String {
        if step.status == 124 || step.status == 143 { return "\(tool) timed out" }
        return step.stderrHeadline ?? "nothing resolved (\(tool) exit \(step.status.map(String.init) ?? "?"))"
    }
}

/// `dig +noall +comments +answer`: the header comment carries the status
/// (";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4242"), answer rows are
/// "name TTL class TYPE data". Only records of the asked type count (a CNAME on the way is not an answer).
enum DigParser {
    static func parse(_ lines: [Substring], type: String) -> (answers: [String], status: String?, problem: String?) {
        var answers: Set<String> = []
        var status: String?
        var problem: String?
        for line in lines {
            if line.hasPrefix(";") {
                if let r = line.range(of: "status: ") {
                    status = line[r.upperBound...].prefix { $0 != "," && $0 != " " }.description
                } else if problem == nil, line.contains("timed out") || line.contains("communications error")
                            || line.contains("no servers could be reached") {
                    // ";; communications error to 127.0.0.1#53: connection refused"
                    problem = line.drop { $0 == ";" || $0 == " " }.description
                }
                continue
            }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 5, f[3].uppercased() == type.uppercased() || type.uppercased() == "ANY" else { continue }
            answers.insert(f[4...].joined(separator: " "))
        }
        return (answers.sorted(), status, problem)
    }
}

extension DNSSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.dns) }, capture: nil,
        parse: { output, context, snapshot in
            snapshot.dns = parse(output, checks: context.checks.dns)
            return .init()
        }, fuzzTargets: ["Dig"])
}
