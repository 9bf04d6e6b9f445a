import Model

/// Pending updates: what the package manager would install now, from its cached metadata
/// (no network) unless `refresh` asks to update the metadata first (root and network needed).
enum UpdatesSection {
    // The steps of the section (`updates.<tool>` in the script and its output).
    static let apkStep = Step(.updates, "apk")
    static let aptStep = Step(.updates, "apt")
    static let dnfStep = Step(.updates, "dnf")
    static let dnfSecurityStep = Step(.updates, "dnf-security")
    static let managerStep = Step(.updates, "manager")
    static let refreshStep = Step(.updates, "refresh")

    static func fragment(_ options: ScriptOptions) -> String {
        guard options.pendingUpdates else { return ScriptFraming.skip(.updates, "not collected (--skip-pending-updates)") }
        // Metadata downloads get three step timeouts.
        let refreshTimeout = "$((PP_STEP_TIMEOUT * 3))"
        var s = "PP_UPDATES_TIMEOUT=\(max(1, options.updatesTimeout))\n"
        s += "if pp_has apt-get; then\n"
        if options.refresh {
            s += ScriptFraming.step(refreshStep, "pp_tt \(refreshTimeout) apt-get -qq update")
        }
        // Debug::NoLocking: a simulation must not wait for, or block, an apt run on the host.
        s += ScriptFraming.step(aptStep, "pp_tt \"$PP_UPDATES_TIMEOUT\" apt-get -s -o Debug::NoLocking=1 dist-upgrade")
        s += "elif pp_has dnf || pp_has yum; then\n"
        s += "if pp_has dnf; then PP_DNF_TOOL=dnf; PP_SECURITY_ARG=--security; else PP_DNF_TOOL=yum; PP_SECURITY_ARG=security; fi\n"
        if options.refresh {
            s += ScriptFraming.step(refreshStep, "pp_tt \(refreshTimeout) $PP_DNF_TOOL -q makecache")
        }
        s += ScriptFraming.step(dnfStep, "pp_tt \"$PP_UPDATES_TIMEOUT\" $PP_DNF_TOOL -q -C check-update")
        s += ScriptFraming.step(dnfSecurityStep, "pp_tt \"$PP_UPDATES_TIMEOUT\" $PP_DNF_TOOL -q -C updateinfo list $PP_SECURITY_ARG")
        s += "elif pp_has apk; then\n"
        if options.refresh {
            s += ScriptFraming.step(refreshStep, "pp_tt \(refreshTimeout) apk -q update")
        }
        s += ScriptFraming.step(apkStep, "pp_tt \"$PP_UPDATES_TIMEOUT\" apk version -l '<'")
        s += "else\n" + ScriptFraming.missing(managerStep, tools: ["apt-get", "dnf", "yum", "apk"]) + "fi\n"
        return s
    }

    /// `installed` fills in current versions the tool does not print (dnf, yum).
    static func parse(_ output: ScriptOutput, installed: [InstalledPackage]) -> (items: [PendingUpdate], notes: [String]) {
        var notes: [String] = []
        if let step = output[step: refreshStep], let problem = step.problem("updates", "refreshing package metadata") {
            notes.append(problem + " (pending updates come from the cached metadata)")
        }
        if let step = output[step: aptStep] {
            if let problem = step.problem("updates", "apt-get -s dist-upgrade") { notes.append(problem) }
            let parsed = AptSimulationParser.parse(step.stdout)
            return (parsed.items, notes + parsed.notes)
        }
        if let step = output[step: dnfStep] {
            // check-update exits 100 when updates exist.
            if let problem = step.problem("updates", "check-update", ok: [0, 100]) { notes.append(problem) }
            var security: Set<String> = []
            if let sec = output[step: dnfSecurityStep] {
                if let problem = sec.problem("updates", "updateinfo list security") {
                    notes.append(problem + " (security flags unknown)")
                }
                security = DnfUpdatesParser.securityNames(sec.stdout)
            }
            var items = DnfUpdatesParser.checkUpdate(step.stdout, security: security).items
            var current: [String: String] = [:]
            for p in installed { current["\(p.name).\(p.arch)"] = p.version }
            for i in items.indices { items[i].currentVersion = current["\(items[i].name).\(items[i].arch ?? "")"] }
            return (items, notes)
        }
        if let step = output[step: apkStep] {
            if let problem = step.problem("updates", "apk version") { notes.append(problem) }
            return (ApkUpgradesParser.parse(step.stdout).items, notes)
        }
        if output.missing[managerStep.name] != nil { notes.append("updates: no apt-get, dnf, yum or apk") }
        return ([], notes)
    }
}

extension UpdatesSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { context in fragment(context.options) },
        capture: CaptureRule(steps: [aptStep, dnfStep, apkStep], missing: managerStep,
                             tools: "apt-get, dnf, yum or apk", timeout: .updates),
        parse: { output, _, snapshot in
            let parsed = parse(output, installed: snapshot.packages)
            snapshot.pendingUpdates = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["AptSimulation", "DnfUpdates", "Apk"])
}
