import Model

/// Installed packages from the first package database the host has: dpkg, rpm, then apk.
enum PackagesSection {
    static let dpkgFormat = "${Status}\\t${Package}\\t${Architecture}\\t${Version}\\n"
    static let rpmFormat = "%{NAME}\\t%{ARCH}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n"

    static let fragment: String =
        "if pp_has dpkg-query && [ -d /var/lib/dpkg ]; then\n"
        + ScriptFraming.step("packages.dpkg", "pp_to dpkg-query -W -f '\(dpkgFormat)'")
        + "elif pp_has rpm; then\n"
        + ScriptFraming.step("packages.rpm", "pp_to rpm -qa --qf '\(rpmFormat)'")
        + "elif [ -r /lib/apk/db/installed ]; then\n"
        + ScriptFraming.step("packages.apk", "pp_to grep -E '^[PVA]:' /lib/apk/db/installed")
        + "else\n" + ScriptFraming.missing("packages.manager", tools: ["dpkg-query", "rpm", "apk"]) + "fi\n"

    static func parse(_ output: ScriptOutput) -> (items: [InstalledPackage], notes: [String]) {
        let sources: [(step: String, tool: String, parse: (String) -> (items: [InstalledPackage], notes: [String]))] = [
            ("packages.dpkg", "dpkg-query", DpkgParser.parse),
            ("packages.rpm", "rpm -qa", RpmParser.parse),
            ("packages.apk", "reading /lib/apk/db/installed", ApkParser.parse),
        ]
        for source in sources {
            guard let step = output.steps[source.step] else { continue }
            var notes: [String] = []
            if let problem = step.problem("packages", source.tool) { notes.append(problem) }
            let parsed = source.parse(step.stdout)
            // Several versions of one name and arch are normal (kernels): order them too.
            let items = parsed.items.sorted { ($0.name, $0.arch, $0.version) < ($1.name, $1.arch, $1.version) }
            return (items, notes + parsed.notes)
        }
        if output.missing["packages.manager"] != nil { return ([], ["packages: no dpkg-query, rpm or apk"]) }
        return ([], [])
    }
}
