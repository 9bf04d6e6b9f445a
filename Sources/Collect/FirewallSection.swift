import Model

/// The firewall, as root only (nft and iptables-save need CAP_NET_ADMIN; without root the
/// section is skipped with a note, never "no rules"). Where nft exists, `nft list ruleset` holds
/// every nf_tables rule, iptables-nft's included; legacy x_tables rules are read besides only
/// when the kernel has legacy tables (`/proc/net/ip_tables_names`, which iptables-legacy-save
/// would otherwise fill by loading the module). Without nft: iptables-save and ip6tables-save,
/// whichever backend they are built for. With none of the tools the host has no rules to lose:
/// captured, empty, with a note.
///
/// `firewall.iptables` prints each save under a `# postpatch: FAMILY BACKEND` line.
enum FirewallSection {
    // The steps of the section (`firewall.<tool>` in the script and its output).
    static let iptablesStep = Step(.firewall, "iptables")
    static let nftStep = Step(.firewall, "nft")
    static let toolsStep = Step(.firewall, "tools")

    static let fragment: String = """
    # $1 family, $2 the save command, $3 its /proc table list, $4 the backend when not asked.
    # Legacy saves run only when the kernel has legacy tables: else they would load ip_tables.
    pp_ipt() {
        pp_has "$2" || return 0
        pp_backend=$4
        if [ -z "$pp_backend" ]; then case "$($2 -V 2>/dev/null)" in *nf_tables*) pp_backend=iptables-nft;; *) pp_backend=iptables-legacy;; esac; fi
        echo "# postpatch: $1 $pp_backend"
        if [ "$pp_backend" = iptables-legacy ]; then grep -q . "$3" 2>/dev/null || return 0; fi
        pp_to "$2"
    }
    if [ "$PP_UID" != 0 ]; then

    """
    + ScriptFraming.skip(.firewall, shellWord: "\"not root (uid $PP_UID): reading the firewall needs root; run with --sudo or log in as root\"")
    + "elif pp_has nft; then\n"
    + ScriptFraming.step(nftStep, "nft list ruleset")
    + "if pp_has iptables-legacy-save && { grep -q . /proc/net/ip_tables_names || grep -q . /proc/net/ip6_tables_names; } 2>/dev/null; then\n"
    + ScriptFraming.step(iptablesStep, """
    pp_ipt ip iptables-legacy-save /proc/net/ip_tables_names iptables-legacy
    pp_ipt ip6 ip6tables-legacy-save /proc/net/ip6_tables_names iptables-legacy
    """)
    + "fi\nelif pp_has iptables-save || pp_has ip6tables-save; then\n"
    + ScriptFraming.step(iptablesStep, """
    pp_ipt ip iptables-save /proc/net/ip_tables_names ''
    pp_ipt ip6 ip6tables-save /proc/net/ip6_tables_names ''
    """)
    + "else\n" + ScriptFraming.missing(toolsStep, tools: ["nft", "iptables-save", "ip6tables-save"]) + "fi\n"

    static func parse(_ output: ScriptOutput, stepTimeout: Int) -> (ruleset: FirewallRuleset, notes: [String], gap: CaptureGap?) {
        var parts: [(backend: String, parsed: FirewallParser.Parsed)] = []
        for (name, what) in [(nftStep, "nft list ruleset"), (iptablesStep, "iptables-save")] {
            guard let step = output[step: name] else { continue }
            if step.status != 0 {
                // Root without CAP_NET_ADMIN (a container that does not grant it): like not
                // root, the rules cannot be read here, every time; a note, not a failure.
                if step.stderr.contains("Operation not permitted") || step.stderr.contains("Permission denied") {
                    return (FirewallRuleset(), [], CaptureGap(step: name.name, problem: "\(what): Operation not permitted: reading the firewall "
                                                                  + "needs CAP_NET_ADMIN, which root does not have here (a container?)",
                                                              fix: "", skipped: true))
                }
                let problem = CaptureGaps.failure(step, timeout: stepTimeout).map { "\(what) \($0)" }
                    ?? "\(what) exited \(step.status.map(String.init) ?? "?")\(step.stderrHeadline.map { ": " + $0 } ?? "")"
                return (FirewallRuleset(), [], CaptureGap(step: name.name, problem: problem,
                                                          fix: "run it as root on the host to see why"))
            }
            parts.append(name == nftStep ? ("nftables", FirewallParser.nft(step.stdout))
                                                : ("iptables", FirewallParser.iptablesSections(step.stdout)))
        }
        var notes: [String] = []
        if output.missing[toolsStep.name] != nil {
            notes.append("firewall: no nft, iptables-save or ip6tables-save on the host: no rules can be loaded or read")
        }
        return (FirewallParser.ruleset(parts), notes, nil)
    }
}

extension FirewallSection {
    /// A failing firewall tool is the parse's own gap.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [nftStep, iptablesStep], tools: "nft or iptables-save"),
        parse: { output, context, snapshot in
            let parsed = parse(output, stepTimeout: context.options.stepTimeout)
            snapshot.firewall = parsed.ruleset
            return .init(notes: parsed.notes, gap: parsed.gap)
        }, fuzzTargets: ["Firewall"])
}
