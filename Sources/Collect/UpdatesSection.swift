import Model

/// Pending updates: what the package manager would install now, from its cached metadata
/// (no network) unless `refresh` asks to update the metadata first (root and network needed).
enum UpdatesSection {
    // The steps of the section (`updates.<tool>` in the script and its output).
    static let apkStep = Step(.updates, "apk")
    static let aptStep = Step(.updates, "apt")
    static let dnfStep = Step(.updates, "dnf")
    static let dnfAdvisoriesStep = Step(.updates, "dnf-advisories")
    static let dnfAdvisoryInfoStep = Step(.updates, "dnf-advisory-info")
    static let zypperReposStep = Step(.updates, "zypper-repos")
    static let zypperStep = Step(.updates, "zypper")
    static let zypperPatchesStep = Step(.updates, "zypper-patches")
    static let zypperPatchInfoStep = Step(.updates, "zypper-patch-info")
    static let managerStep = Step(.updates, "manager")
    static let refreshStep = Step(.updates, "refresh")
    static let aptRollbackStep = Step(.updates, "apt-rollback")
    static let dnfRollbackStep = Step(.updates, "dnf-rollback")

    /// The simulation kept in the temp dir: the rollback preflight reads the upgraded packages
    /// from it. Not kept when it failed (timed out: a package manager that slow is not asked twice).
    static let aptBody = """
    if [ -z "$PP_TMP" ]; then pp_tt "$PP_UPDATES_TIMEOUT" apt-get -s -o Debug::NoLocking=1 dist-upgrade; exit $?; fi
    pp_tt "$PP_UPDATES_TIMEOUT" apt-get -s -o Debug::NoLocking=1 dist-upgrade >"$PP_TMP/apt-upgrade"; pp_sim_rc=$?
    cat "$PP_TMP/apt-upgrade"
    if [ "$pp_sim_rc" -ne 0 ]; then rm -f "$PP_TMP/apt-upgrade"; fi
    exit $pp_sim_rc
    """

    /// `check-update` kept in the temp dir, for the rollback preflight; not kept when it failed
    /// (it exits 100 when updates are pending).
    static let dnfBody = """
    if [ -z "$PP_TMP" ]; then pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C check-update; exit $?; fi
    pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C check-update >"$PP_TMP/dnf-check-update"; pp_check_rc=$?
    cat "$PP_TMP/dnf-check-update"
    if [ "$pp_check_rc" -ne 0 ] && [ "$pp_check_rc" -ne 100 ]; then rm -f "$PP_TMP/dnf-check-update"; fi
    exit $pp_check_rc
    """

    /// The rollback preflight (apt): is the installed version of each upgraded package ("Inst
    /// NAME [CURRENT]": a new install has no [CURRENT], its undo is a removal) still obtainable?
    /// One `apt-cache policy` for all of them (at most 2000; the cache only, no network), then
    /// the cached .debs bearing their names (`archive FILE`).
    static let aptRollbackBody = """
    if [ -z "$PP_TMP" ] || [ ! -s "$PP_TMP/apt-upgrade" ]; then exit 0; fi
    awk '$1 == "Inst" && substr($3, 1, 1) == "[" && n < 2000 { print $2; n++ }' "$PP_TMP/apt-upgrade" >"$PP_TMP/apt-upgraded"
    [ -s "$PP_TMP/apt-upgraded" ] || exit 0
    set --
    while IFS= read -r pp_pkg; do set -- "$@" "$pp_pkg"; done <"$PP_TMP/apt-upgraded"
    pp_tt "$PP_UPDATES_TIMEOUT" apt-cache policy "$@"; pp_policy_rc=$?
    for pp_pkg in "$@"; do
        for pp_deb in /var/cache/apt/archives/"${pp_pkg%%:*}"_*.deb; do
            if [ -e "$pp_deb" ]; then printf 'archive %s\\n' "${pp_deb##*/}"; fi
        done
    done
    exit $pp_policy_rc
    """

    /// The rollback preflight (dnf, yum): every version the cached repositories list of each
    /// pending package (one `--showduplicates list`, at most 2000 names, `-C`: no network),
    /// then the cached rpms bearing their names (keepcache=1; dnf's and yum's cache layouts).
    static let dnfRollbackBody = """
    if [ -z "$PP_TMP" ] || [ ! -s "$PP_TMP/dnf-check-update" ]; then exit 0; fi
    awk '/^Obsoleting Packages/ || /^Security:/ { exit } NF == 1 && index($1, ".") { w = $1; next }
        w != "" && NF == 2 { if (n < 2000) print w; n++; w = ""; next } { w = "" }
        NF == 3 && index($1, ".") && n < 2000 { print $1; n++ }' "$PP_TMP/dnf-check-update" >"$PP_TMP/dnf-pending"
    [ -s "$PP_TMP/dnf-pending" ] || exit 0
    set --
    while IFS= read -r pp_pkg; do set -- "$@" "$pp_pkg"; done <"$PP_TMP/dnf-pending"
    pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C --showduplicates list "$@"; pp_list_rc=$?
    for pp_pkg in "$@"; do
        for pp_rpm in /var/cache/dnf/*/packages/"${pp_pkg%.*}"-*.rpm /var/cache/yum/*/*/*/packages/"${pp_pkg%.*}"-*.rpm; do
            if [ -e "$pp_rpm" ]; then printf 'archive %s\\n' "${pp_rpm##*/}"; fi
        done
    done
    exit $pp_list_rc
    """

    /// `updateinfo list` kept in the temp dir: the info step runs only when it named an advisory.
    static let dnfAdvisoriesBody = """
    if [ -z "$PP_TMP" ]; then pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C updateinfo list; exit $?; fi
    pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C updateinfo list >"$PP_TMP/dnf-advisories"; pp_list_rc=$?
    cat "$PP_TMP/dnf-advisories"
    exit $pp_list_rc
    """

    /// `updateinfo info` with only the fields the parser reads: descriptions run to kilobytes an
    /// advisory (a kernel erratum's lists every fix), so one awk keeps the id, type, date,
    /// severity and CVE lines (continuation lines belong to the last label). No `timeout` for
    /// the awk: a local file.
    static let dnfAdvisoryInfoBody = """
    if [ -z "$PP_TMP" ]; then pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C updateinfo info; exit $?; fi
    [ -s "$PP_TMP/dnf-advisories" ] || exit 0
    pp_tt "$PP_UPDATES_TIMEOUT" $PP_DNF_TOOL -q -C updateinfo info >"$PP_TMP/dnf-advisory-info"; pp_info_rc=$?
    awk '{ i = index($0, ":"); if (i == 0) { k = ""; next }; l = substr($0, 1, i - 1); gsub(/^[ \t]+|[ \t]+$/, "", l); if (l != "") k = l }
        k == "Update ID" || k == "Type" || k == "Updated" || k == "Issued" || k == "Severity" || k == "CVEs"' "$PP_TMP/dnf-advisory-info"
    exit $pp_info_rc
    """

    /// zypper's `--no-refresh` still downloads the metadata of a repository never cached (seen:
    /// "Download (curl) error ... repomd.xml" from `list-patches --no-refresh`), so without
    /// --refresh the zypper runs name the enabled repositories that have a solv cache (`-r
    /// ALIAS`, kept in the temp dir) and this step says which were left out ("uncached ALIAS").
    static let zypperReposBody = """
    if [ -z "$PP_TMP" ]; then echo "no temp dir for the cached repositories' names" >&2; exit 1; fi
    : >"$PP_TMP/zypper-repos"; : >"$PP_TMP/zypper-uncached"
    for pp_repo_file in /etc/zypp/repos.d/*.repo; do [ -r "$pp_repo_file" ] || continue
        awk 'function out() { if (a != "" && e != "0") print a } /^\\[/ { out(); a = substr($0, 2, index($0, "]") - 2); e = "" }
            /^enabled *=/ { e = $0; sub(/^enabled *= */, "", e) } END { out() }' "$pp_repo_file"
    done | while IFS= read -r pp_repo; do
        if [ -s "/var/cache/zypp/solv/$pp_repo/solv" ]; then printf '%s\\n' "$pp_repo" >>"$PP_TMP/zypper-repos"; echo "cached $pp_repo"
        else printf '%s\\n' "$pp_repo" >>"$PP_TMP/zypper-uncached"; echo "uncached $pp_repo"; fi
    done
    """

    /// "$@" set to the `-r ALIAS` options of the cached repositories (none after --refresh: all
    /// are fresh). Without the list (no temp dir) zypper does not run: it might reach the network.
    /// No cached repository: with no repository enabled nothing can be pending (exit 0); with only
    /// uncached ones the updates are unknown, so the updates step fails (`unknownExit` 1) and the
    /// patch steps, whose answers would be as empty, stay silent.
    static func zypperRepoArgs(refresh: Bool, unknownExit: Int = 0) -> String {
        if refresh { return "set -f\nset --\n" }
        return """
        set -f
        set --
        if [ ! -f "$PP_TMP/zypper-repos" ]; then echo "no list of cached repositories: zypper not run (it may reach the network)" >&2; exit 1; fi
        while IFS= read -r pp_repo; do set -- "$@" -r "$pp_repo"; done <"$PP_TMP/zypper-repos"
        if [ $# -eq 0 ]; then
            if [ -s "$PP_TMP/zypper-uncached" ]; then echo "no enabled repository has cached metadata" >&2; exit \(unknownExit); fi
            exit 0
        fi

        """
    }

    static func zypperUpdatesBody(refresh: Bool) -> String {
        zypperRepoArgs(refresh: refresh, unknownExit: 1)
            + "pp_tt \"$PP_UPDATES_TIMEOUT\" zypper --non-interactive --no-refresh list-updates \"$@\""
    }

    /// `list-patches` kept in the temp dir for the info step.
    static func zypperPatchesBody(refresh: Bool) -> String {
        zypperRepoArgs(refresh: refresh) + """
        if [ -z "$PP_TMP" ]; then pp_tt "$PP_UPDATES_TIMEOUT" zypper --non-interactive --no-refresh list-patches "$@"; exit $?; fi
        pp_tt "$PP_UPDATES_TIMEOUT" zypper --non-interactive --no-refresh list-patches "$@" >"$PP_TMP/zypper-patches"; pp_list_rc=$?
        cat "$PP_TMP/zypper-patches"
        exit $pp_list_rc
        """
    }

    /// `info -t patch` for the needed and optional patches (at most 200, one zypper run), with
    /// only their names, dates and packages ("Conflicts") kept by one awk.
    static func zypperPatchInfoBody(refresh: Bool) -> String {
        zypperRepoArgs(refresh: refresh) + """
        if [ -z "$PP_TMP" ] || [ ! -s "$PP_TMP/zypper-patches" ]; then exit 0; fi
        awk -F '|' 'NF >= 6 { s = $6; gsub(/ /, "", s); n = $2; gsub(/ /, "", n); if ((s == "needed" || s == "optional") && c < 200) { print n; c++ } }' "$PP_TMP/zypper-patches" >"$PP_TMP/zypper-patch-names"
        [ -s "$PP_TMP/zypper-patch-names" ] || exit 0
        while IFS= read -r pp_patch_name; do set -- "$@" "$pp_patch_name"; done <"$PP_TMP/zypper-patch-names"
        pp_tt "$PP_UPDATES_TIMEOUT" zypper --non-interactive --no-refresh info -t patch "$@" >"$PP_TMP/zypper-patch-info"; pp_info_rc=$?
        awk '/^[^ \t]/ { k = $1 } /^Name *:/ || /^Created On *:/ || /^Conflicts *:/ || (k == "Conflicts" && /^[ \t]/)' "$PP_TMP/zypper-patch-info"
        exit $pp_info_rc
        """
    }

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
        s += ScriptFraming.step(aptStep, aptBody)
        s += ScriptFraming.step(aptRollbackStep, aptRollbackBody)
        s += "elif pp_has dnf || pp_has yum; then\n"
        s += "if pp_has dnf; then PP_DNF_TOOL=dnf; else PP_DNF_TOOL=yum; fi\n"
        // With --refresh, makecache fetches the metadata (updateinfo included) and the -C runs read it.
        if options.refresh {
            s += ScriptFraming.step(refreshStep, "pp_tt \(refreshTimeout) $PP_DNF_TOOL -q makecache")
        }
        s += ScriptFraming.step(dnfStep, dnfBody)
        s += ScriptFraming.step(dnfRollbackStep, dnfRollbackBody)
        s += ScriptFraming.step(dnfAdvisoriesStep, dnfAdvisoriesBody)
        s += ScriptFraming.step(dnfAdvisoryInfoStep, dnfAdvisoryInfoBody)
        s += "elif pp_has zypper; then\n"
        if options.refresh {
            s += ScriptFraming.step(refreshStep, "pp_tt \(refreshTimeout) zypper --non-interactive refresh")
        }
        if !options.refresh { s += ScriptFraming.step(zypperReposStep, zypperReposBody) }
        s += ScriptFraming.step(zypperStep, zypperUpdatesBody(refresh: options.refresh))
        s += ScriptFraming.step(zypperPatchesStep, zypperPatchesBody(refresh: options.refresh))
        s += ScriptFraming.step(zypperPatchInfoStep, zypperPatchInfoBody(refresh: options.refresh))
        s += "elif pp_has apk; then\n"
        if options.refresh {
            s += ScriptFraming.step(refreshStep, "pp_tt \(refreshTimeout) apk -q update")
        }
        s += ScriptFraming.step(apkStep, "pp_tt \"$PP_UPDATES_TIMEOUT\" apk version -l '<'")
        s += "else\n" + ScriptFraming.missing(managerStep, tools: ["apt-get", "dnf", "yum", "zypper", "apk"]) + "fi\n"
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
            let preflight = rollbackPreflight(output, rollbackStep: aptRollbackStep, items: parsed.items, manager: .dpkg)
            return (preflight.items, notes + parsed.notes + preflight.notes)
        }
        if let step = output[step: dnfStep] {
            // check-update exits 100 when updates exist.
            if let problem = step.problem("updates", "check-update", ok: [0, 100]) { notes.append(problem) }
            var items = DnfUpdatesParser.checkUpdate(step.stdout, security: []).items
            var current: [String: String] = [:]
            for p in installed { current["\(p.name).\(p.arch)"] = p.version }
            for i in items.indices { items[i].currentVersion = current["\(items[i].name).\(items[i].arch ?? "")"] }
            let advisories = dnfAdvisories(output, items: items)
            let preflight = rollbackPreflight(output, rollbackStep: dnfRollbackStep, items: advisories.items, manager: .rpm)
            return (preflight.items, notes + advisories.notes + preflight.notes)
        }
        if let step = output[step: zypperStep] {
            if let problem = step.problem("updates", "zypper list-updates") { notes.append(problem) }
            if let repos = output[step: zypperReposStep] {
                if let problem = repos.problem("updates", "listing zypper's cached repositories") { notes.append(problem) }
                let uncached = repos.stdout.lines().filter { $0.hasPrefix("uncached ") }.map { String($0.dropFirst(9)) }
                if !uncached.isEmpty {
                    notes.append("updates: zypper repositories without cached metadata left out (zypper would download it): "
                                 + uncached.prefix(10).joined(separator: ", ") + " (run with --refresh, or zypper refresh on the host)")
                }
            }
            let items = ZypperParser.listUpdates(step.stdout).items
            let advisories = zypperPatches(output, items: items)
            return (advisories.items, notes + advisories.notes)
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
        capture: CaptureRule(steps: [aptStep, dnfStep, zypperStep, apkStep], missing: managerStep,
                             tools: "apt-get, dnf, yum, zypper or apk", timeout: .updates),
        parse: { output, _, snapshot in
            let parsed = parse(output, installed: snapshot.packages)
            snapshot.pendingUpdates = parsed.items
            return .init(notes: parsed.notes, gap: zypperGap(output))
        }, fuzzTargets: ["AptSimulation", "DnfUpdates", "Zypper", "Apk", "RollbackPreflight"])
}

extension UpdatesSection {
    /// The note when no cached advisory names any pending update: the metadata is missing
    /// (never fetched, or expired and cleaned) or the repositories publish none (CentOS 7's base).
    static func noAdvisoriesNote(_ tool: String, pending: Int) -> String {
        "updates: \(tool) has no cached updateinfo naming any of the \(pending) pending updates: severities unknown "
            + "(run with --refresh, or \(tool == "zypper" ? "zypper refresh" : "dnf makecache") on the host; some repositories publish none)"
    }

    /// The rollback preflight's verdicts attached to the updates (``RollbackPreflightParser``);
    /// a failed step leaves them unknown (nil) with a note.
    static func rollbackPreflight(_ output: ScriptOutput, rollbackStep: Step, items: [PendingUpdate],
                                  manager: PackageManager) -> (items: [PendingUpdate], notes: [String]) {
        guard let step = output[step: rollbackStep] else { return (items, []) }
        let parsed = manager == .rpm ? RollbackPreflightParser.dnf(step.stdout) : RollbackPreflightParser.apt(step.stdout)
        // dnf list exits 1 when no pending name matched a package; what it listed still counts.
        if let problem = step.problem("updates", "the rollback preflight", ok: [0, 1]) {
            return (items, [problem + " (whether the updates can be rolled back is unknown)"])
        }
        return (RollbackPreflightParser.attach(items, sources: parsed.items, manager: manager), parsed.notes)
    }

    /// dnf/yum: the advisories of `updateinfo list` and `info` attached to the updates.
    static func dnfAdvisories(_ output: ScriptOutput, items: [PendingUpdate]) -> (items: [PendingUpdate], notes: [String]) {
        guard let list = output[step: dnfAdvisoriesStep] else { return (items, []) }
        if let problem = list.problem("updates", "updateinfo list") {
            return (items, [problem + " (advisories and security flags unknown)"])
        }
        var notes: [String] = []
        let rows = DnfAdvisoriesParser.list(list.stdout).rows
        var info: [String: Advisory] = [:]
        if let step = output[step: dnfAdvisoryInfoStep] {
            if let problem = step.problem("updates", "updateinfo info") { notes.append(problem + " (advisory dates and CVE ids unknown)") }
            info = DnfAdvisoriesParser.info(step.stdout)
        }
        if rows.isEmpty, !items.isEmpty { notes.append(noAdvisoriesNote("dnf", pending: items.count)) }
        return (DnfAdvisoriesParser.attach(items, rows: rows, info: info), notes)
    }

    /// zypper with no repository it may read offline: the pending updates are unknown, not none.
    static func zypperGap(_ output: ScriptOutput) -> CaptureGap? {
        guard let step = output[step: zypperStep], step.status == 1, step.stdout.allSatisfy(\.isWhitespace),
              step.stderrHeadline?.hasPrefix("no enabled repository has cached metadata") == true else { return nil }
        return CaptureGap(step: zypperStep.name, problem: "no enabled zypper repository has cached metadata (zypper would download it)",
                          fix: "run with --refresh, or zypper refresh on the host")
    }

    /// zypper: the patches of `list-patches` and `info -t patch` attached to the updates.
    static func zypperPatches(_ output: ScriptOutput, items: [PendingUpdate]) -> (items: [PendingUpdate], notes: [String]) {
        guard let list = output[step: zypperPatchesStep] else { return (items, []) }
        // zypper exits 100 and 101 when patches (security patches) are needed.
        if let problem = list.problem("updates", "zypper list-patches", ok: [0, 100, 101]) {
            return (items, [problem + " (patches and security flags unknown)"])
        }
        var notes: [String] = []
        let patches = ZypperParser.listPatches(list.stdout)
        var info: [String: ZypperParser.PatchInfo] = [:]
        if let step = output[step: zypperPatchInfoStep] {
            if let problem = step.problem("updates", "zypper info -t patch") { notes.append(problem + " (patches' packages unknown)") }
            info = ZypperParser.patchInfo(step.stdout)
        }
        if patches.isEmpty, !items.isEmpty { notes.append(noAdvisoriesNote("zypper", pending: items.count)) }
        return (ZypperParser.attach(items, patches: patches, info: info), notes)
    }
}
