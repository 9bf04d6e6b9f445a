import Model

/// Installed packages from the first package database the host has: dpkg, rpm, then apk.
enum PackagesSection {
    // The steps of the section (`packages.<tool>` in the script and its output).
    static let apkStep = Step(.packages, "apk")
    static let dpkgStep = Step(.packages, "dpkg")
    static let managerStep = Step(.packages, "manager")
    static let rpmStep = Step(.packages, "rpm")
    static let dnfHistoryStep = Step(.packages, "dnf-history")
    static let yumHistoryStep = Step(.packages, "yum-history")

    static let dpkgFormat = "${Status}\\t${Package}\\t${Architecture}\\t${Version}\\n"
    static let rpmFormat = "%{NAME}\\t%{ARCH}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n"

    /// dpkg's database is the status file (deb-status(5)) plus, while dpkg runs or after it was
    /// cut short, the journal in /var/lib/dpkg/updates/ that dpkg-query merges in. With no journal,
    /// one awk reads the status file, a stanza per record, and prints dpkg-query's lines (its `-W`
    /// leaves out `not-installed` entries; continuation lines start with a blank, so no field is mistaken):
    /// dpkg-query cost the host about 5 ms more per capture (docs/bench.md). With a journal, or
    /// no awk, dpkg-query itself. No `timeout` for the awk: a local file.
    static let dpkgBody: String = """
    set -- /var/lib/dpkg/updates/[0-9]*
    # shellcheck disable=SC2016 # ${Status} and the like are dpkg-query's format fields, not the shell's
    if [ -e "$1" ] || [ ! -r /var/lib/dpkg/status ] || ! pp_has awk; then pp_to dpkg-query -W -f '\(dpkgFormat)'; exit $?; fi
    awk 'BEGIN { RS = "" } { p = s = a = v = ""; n = split($0, l, "\\n")
        for (i = 1; i <= n; i++) { f = l[i]
          if (f ~ /^Package: /) p = substr(f, 10); else if (f ~ /^Status: /) s = substr(f, 9)
          else if (f ~ /^Architecture: /) a = substr(f, 15); else if (f ~ /^Version: /) v = substr(f, 10) }
        split(s, w, " "); if (p != "" && w[3] != "not-installed") printf "%s\\t%s\\t%s\\t%s\\n", s, p, a, v }' /var/lib/dpkg/status
    """

    /// The last transaction's header, cut after its "Return-Code" line: a few lines whatever the
    /// transaction's size, and the command line after it (options may hold secrets) stays on the
    /// host. `-C`: from the local history database and cache only, never the network.
    static func historyBody(_ tool: String) -> String {
        "pp_to \(tool) -C -q history info last | sed '/^Return-Code/q'"
    }

    static let fragment: String =
        "if pp_has dpkg-query && [ -d /var/lib/dpkg ]; then\n"
        + ScriptFraming.step(dpkgStep, dpkgBody)
        + "elif pp_has rpm; then\n"
        + ScriptFraming.step(rpmStep, "pp_to rpm -qa --qf '\(rpmFormat)'")
        + "if pp_has dnf; then\n" + ScriptFraming.step(dnfHistoryStep, historyBody("dnf"))
        + "elif pp_has yum; then\n" + ScriptFraming.step(yumHistoryStep, historyBody("yum")) + "fi\n"
        + "elif [ -r /lib/apk/db/installed ]; then\n"
        + ScriptFraming.step(apkStep, "pp_to grep -E '^[PVA]:' /lib/apk/db/installed")
        + "else\n" + ScriptFraming.missing(managerStep, tools: ["dpkg-query", "rpm", "apk"]) + "fi\n"

    static func parse(_ output: ScriptOutput) -> (items: [InstalledPackage], notes: [String]) {
        let sources: [(step: Step, tool: String, parse: (String) -> (items: [InstalledPackage], notes: [String]))] = [
            (dpkgStep, "dpkg-query", DpkgParser.parse),
            (rpmStep, "rpm -qa", RpmParser.parse),
            (apkStep, "reading /lib/apk/db/installed", ApkParser.parse),
        ]
        for source in sources {
            guard let step = output[step: source.step] else { continue }
            var notes: [String] = []
            if let problem = step.problem("packages", source.tool) { notes.append(problem) }
            let parsed = source.parse(step.stdout)
            // Several versions of one name and arch are normal (kernels): order them too.
            let items = parsed.items.sorted { ($0.name, $0.arch, $0.version) < ($1.name, $1.arch, $1.version) }
            return (items, notes + parsed.notes)
        }
        if output.missing[managerStep.name] != nil { return ([], ["packages: no dpkg-query, rpm or apk"]) }
        return ([], [])
    }
}

extension PackagesSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [dpkgStep, rpmStep, apkStep], missing: managerStep,
                             tools: "dpkg-query, rpm or apk", listsAll: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.packages = parsed.items
            let history = transaction(output)
            snapshot.lastPackageTransaction = history.item
            return .init(notes: parsed.notes + history.notes)
        }, fuzzTargets: ["Dpkg", "Rpm", "Apk"])
}

extension PackagesSection {
    /// The last dnf or yum transaction, when the host has either (rpm hosts only).
    static func transaction(_ output: ScriptOutput) -> (item: LastPackageTransaction?, notes: [String]) {
        for (step, tool) in [(dnfHistoryStep, "dnf"), (yumHistoryStep, "yum")] {
            guard let result = output[step: step] else { continue }
            var parsed = DnfHistoryParser.parse(result.stdout, tool: tool)
            if let problem = result.problem("packages", "\(tool) history") { parsed.notes.insert(problem, at: 0) }
            return parsed
        }
        return (nil, [])
    }
}
