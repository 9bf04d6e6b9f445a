import Model

/// Interfaces and routes: one `ip -j addr` and one `ip -j route` per family. Where `ip` has no
/// JSON (busybox, iproute2 before 4.15) the same facts come from `ip -o link`, `ip -o addr`
/// and `ip route`: the output is JSON only when it starts with `[`.
///
/// Step output: `network.addr` prints the JSON, or `@link`, the links, `@addr`, the addresses;
/// `network.route` prints `@inet` then the IPv4 routes, `@inet6` then the IPv6 ones, and
/// `@failed inet6 STATUS` when a family's command failed. Interfaces matching
/// ``IgnoreRules/defaultInterfaces`` (container and VM veths, bridges) and routes through them are
/// left out here: they come and go on an unchanged host.
enum NetworkSection {
    static let fragment: String =
        "if pp_has ip; then\n"
        + "pp_ipj() { pp_j=$(pp_to ip -j \"$@\" 2>/dev/null) || return 1; case \"$pp_j\" in \"[\"*) printf '%s\\n' \"$pp_j\";; *) return 1;; esac; }\n"
        + ScriptFraming.step("network.addr", """
        pp_ipj addr show || { echo @link; pp_to ip -o link show; echo @addr; pp_to ip -o addr show; }
        """)
        + ScriptFraming.step("network.route", """
        for pp_f in inet inet6; do
            echo "@$pp_f"
            pp_ipj -f $pp_f route show || pp_to ip -f $pp_f route show || echo "@failed $pp_f $?"
        done
        true
        """)
        + "else\n" + ScriptFraming.missing("network.ip", tools: ["ip"]) + "fi\n"

    static func parse(_ output: ScriptOutput, stepTimeout: Int) -> (interfaces: [NetworkInterface], routes: [Route], notes: [String], gap: CaptureGap?) {
        guard let addr = output.steps["network.addr"] else { return ([], [], [], nil) }
        var notes: [String] = []
        if let problem = addr.problem("network", "ip addr") { notes.append(problem) }
        let (interfaces, more) = interfaces(addr.stdout)
        notes += more
        if interfaces.isEmpty && addr.status == 0 {
            // Every host has lo: none means ip printed something this parser cannot read.
            return ([], [], notes, CaptureGap(step: "network.addr", problem: "ip listed no interfaces",
                                              fix: "run `ip -j addr show` on the host and report its output"))
        }
        guard let step = output.steps["network.route"] else { return (interfaces, [], notes, nil) }
        if let failure = CaptureGaps.failure(step, timeout: stepTimeout) {
            let problem = failure.contains("timed out") ? "ip route timed out" : "ip route \(failure)"
            return (interfaces, [], notes, CaptureGap(step: "network.route", problem: problem,
                                                      fix: "check the host's load, or raise --step-timeout"))
        }
        var routes: [Route] = []
        for (family, text) in blocks(step.stdout, names: ["@inet", "@inet6"]) {
            let name = String(family.dropFirst())
            let parsed = text.first(where: { !$0.isWhitespace }) == "["
                ? NetworkParser.routesJSON(text, family: name) : NetworkParser.routesText(text, family: name)
            routes += parsed.items
            notes += parsed.notes
        }
        for line in step.stdout.lines() where line.hasPrefix("@failed ") {
            let words = line.fields(32)
            let family = words.count > 1 ? String(words[1]) : "?"
            // A kernel built or booted without IPv6 has no IPv6 routes to lose.
            if family == "inet6" && step.stderr.contains("not supported") {
                notes.append("network: no IPv6 on the host (ip -6 route: address family not supported)")
                continue
            }
            let status = words.count > 2 ? Int(words[2]) : nil
            let what = status == 124 || status == 143 ? "timed out after \(stepTimeout) s"
                : "failed (exit \(status.map(String.init) ?? "?"))\(step.stderrHeadline.map { ": " + $0 } ?? "")"
            return (interfaces, [], notes, CaptureGap(step: "network.route", problem: "ip -f \(family) route \(what)",
                                                      fix: "check `ip route` on the host and its load, then capture again"))
        }
        let kept = interfaces.filter { !IgnoreRules.isDefaultIgnored(interface: $0.name) }
        let keptRoutes = routes.filter { r in r.device.map { !IgnoreRules.isDefaultIgnored(interface: $0) } ?? true }
        return (kept, NetworkParser.markConnected(keptRoutes, interfaces: kept), notes, nil)
    }

    static func interfaces(_ text: String) -> (items: [NetworkInterface], notes: [String]) {
        if text.first(where: { !$0.isWhitespace }) == "[" { return NetworkParser.interfacesJSON(text) }
        let parts = Dictionary(blocks(text, names: ["@link", "@addr"]), uniquingKeysWith: { a, _ in a })
        return NetworkParser.interfacesText(link: parts["@link"] ?? "", addr: parts["@addr"] ?? "")
    }

    /// The text after each of the marker lines `names` (a line equal to the name), in order.
    static func blocks(_ text: String, names: Set<String>) -> [(String, String)] {
        var out: [(String, String)] = []
        var name: String?
        var body: [Substring] = []
        for line in text.lines() {
            if names.contains(String(line)) {
                if let name { out.append((name, body.joined(separator: "\n"))) }
                name = String(line)
                body = []
            } else if name != nil, !line.hasPrefix("@failed ") {
                body.append(line)
            }
        }
        if let name { out.append((name, body.joined(separator: "\n"))) }
        return out
    }
}
