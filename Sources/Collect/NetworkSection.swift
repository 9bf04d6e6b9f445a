import Model

/// Interfaces and routes from one `ip -j -batch -` (iproute2 4.15 and later): `addr show` and
/// `route show table all`, two JSON lists on two lines, one exec where three `ip` calls (and their
/// `timeout`s) cost the host about 11 ms more per capture (docs/bench.md). Where `ip` has no JSON
/// or no batch mode (busybox, older iproute2) the same facts come from `ip -o link`, `ip -o addr`
/// and `ip -f FAMILY route`, after `@link`, `@addr`, `@inet` and `@inet6` lines; a command that
/// failed adds `@failed NAME STATUS`. The output is JSON only when it starts with `[`. The batch
/// runs without `timeout` (netlink dumps, see ``ScriptFraming``); the fallback's commands keep it.
///
/// Interfaces matching ``IgnoreRules/defaultInterfaces`` (container and VM veths, bridges) and
/// routes through them are left out here: they come and go on an unchanged host.
enum NetworkSection {
    // The steps of the section (`network.<tool>` in the script and its output).
    static let ipStep = Step(.network, "ip")

    static let fragment: String =
        "if pp_has ip; then\n"
        + ScriptFraming.step(ipStep, """
        pp_ip_json=$(printf 'addr show\\nroute show table all\\n' | ip -j -batch - 2>/dev/null); pp_ip_rc=$?
        pp_newline='
        '
        case $pp_ip_json in "["*"${pp_newline}["*) printf '%s\\n' "$pp_ip_json"; exit $pp_ip_rc;; esac
        case $pp_ip_rc in 124|137|143) exit $pp_ip_rc;; esac
        echo @link; pp_to ip -o link show || echo "@failed link $?"
        echo @addr; pp_to ip -o addr show || echo "@failed addr $?"
        for pp_family in inet inet6; do
            echo "@$pp_family"
            pp_to ip -f "$pp_family" route show || echo "@failed $pp_family $?"
        done
        true
        """)
        + "else\n" + ScriptFraming.missing(ipStep, tools: ["ip"]) + "fi\n"

    static func parse(_ output: ScriptOutput, stepTimeout: Int) -> (interfaces: [NetworkInterface], routes: [Route], notes: [String], gap: CaptureGap?) {
        guard let step = output[step: ipStep] else { return ([], [], [], nil) }
        var notes: [String] = []
        if let problem = step.problem("network", "ip") { notes.append(problem) }
        let text = step.stdout
        let json = text.first(where: { !$0.isWhitespace }) == "["
        var interfaces: [NetworkInterface] = []
        var routes: [Route] = []
        if json {
            let lists = text.lines().map { $0.drop { $0 == " " || $0 == "\t" } }.filter { $0.hasPrefix("[") }.map(String.init)
            let parsed = NetworkParser.interfacesJSON(lists.first ?? "")
            interfaces = parsed.items
            notes += parsed.notes
            guard lists.count > 1 else {
                return (kept(interfaces), [], notes, CaptureGap(step: ipStep.name, problem: "ip -j listed no routes",
                                                          fix: "run `ip -j route show table all` on the host and report its output"))
            }
            let more = NetworkParser.routesAllTablesJSON(lists[1])
            routes = more.items
            notes += more.notes
        } else {
            let parts = Dictionary(blocks(text, names: ["@link", "@addr"]), uniquingKeysWith: { a, _ in a })
            let parsed = NetworkParser.interfacesText(link: parts["@link"] ?? "", addr: parts["@addr"] ?? "")
            interfaces = parsed.items
            notes += parsed.notes
        }
        if interfaces.isEmpty && step.status == 0 {
            // Every host has lo: none means ip printed something this parser cannot read.
            return ([], [], notes, CaptureGap(step: ipStep.name, problem: "ip listed no interfaces",
                                              fix: "run `ip -j addr show` on the host and report its output"))
        }
        if !json {
            for (family, body) in blocks(text, names: ["@inet", "@inet6"]) {
                let parsed = NetworkParser.routesText(body, family: String(family.dropFirst()))
                routes += parsed.items
                notes += parsed.notes
            }
        }
        for line in text.lines() where line.hasPrefix("@failed ") {
            let words = line.fields(32)
            let what = words.count > 1 ? String(words[1]) : "?"
            // A kernel built or booted without IPv6 has no IPv6 routes to lose.
            if what == "inet6" && step.stderr.contains("not supported") {
                notes.append("network: no IPv6 on the host (ip -6 route: address family not supported)")
                continue
            }
            let status = words.count > 2 ? Int(words[2]) : nil
            let failed = status == 124 || status == 143 ? "timed out after \(stepTimeout) s"
                : "failed (exit \(status.map(String.init) ?? "?"))\(step.stderrHeadline.map { ": " + $0 } ?? "")"
            let command = what == "inet" || what == "inet6" ? "ip -f \(what) route" : "ip -o \(what)"
            return (kept(interfaces), [], notes, CaptureGap(step: ipStep.name, problem: "\(command) \(failed)",
                                                      fix: "check `ip` on the host and its load, then capture again"))
        }
        let keptRoutes = routes.filter { r in r.device.map { !IgnoreRules.isDefaultIgnored(interface: $0) } ?? true }
        return (kept(interfaces), NetworkParser.markConnected(keptRoutes, interfaces: kept(interfaces)), notes, nil)
    }

    static func kept(_ interfaces: [NetworkInterface]) -> [NetworkInterface] {
        interfaces.filter { !IgnoreRules.isDefaultIgnored(interface: $0.name) }
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

extension NetworkSection {
    /// A failing (not only timed-out) ip command is the parse's own gap.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [ipStep], missing: ipStep, tools: "ip (iproute2)"),
        parse: { output, context, snapshot in
            let parsed = parse(output, stepTimeout: context.options.stepTimeout)
            snapshot.interfaces = parsed.interfaces
            snapshot.routes = parsed.routes
            return .init(notes: parsed.notes, gap: parsed.gap)
        }, fuzzTargets: ["Network"])
}
