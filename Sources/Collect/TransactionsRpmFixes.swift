import Model

/// What the window's RPM changes fixed (the `rpm-fixes` step, after ``TransactionsSection/rpmBody(since:)``
/// found packages installed since the window opened, `name evr` in `$PP_TMP/tx-rpm-versions`).
///
/// dnf/yum: the old versions from the history (the transactions since the window, merged:
/// `history info FIRST..LAST` says `Upgraded OLD` per upgraded package, `Install` for a new one),
/// then `updateinfo list --installed` (advisory ids) and `--with-cve` (CVE ids), rows per
/// package NEVRA, from the cache only (`-C`). dnf 4's `updateinfo info` names no package (see
/// Tests/Fixtures/collect/rpm-advisories/dnf4-updateinfo-info.out), so the rows come from `list`,
/// and `--with-cve` gives each package's CVE ids without the descriptions `info` prints. One awk
/// keeps the rows that the window's change brought: the advisory's version newer than the old
/// one and not newer than the installed one (rpmvercmp, ``rpmVersionAwk``), or, with no old
/// version known, equal to the installed one; a package the window installed new fixed
/// nothing, unless an older version sits beside it (a kernel: ``rpmBeforeAwk``). Lines:
/// `M dnf|yum`, `H first last` (the history read), `O name evr` (old versions), `L row` / `X row` (kept rows), `W advisories|cves N` (a listing
/// failed), `T fixes|changelogs` (a bound), `V ...` (below), `K n` (the end).
///
/// Changelogs (`rpm -q --changelog`, the CVE ids as the changelog step's `V name new ok|cut id...`):
/// with dnf or yum, of each upgraded package no kept row named (repositories without updateinfo,
/// or a failed listing), its entries above the old version's; without them, of each changed
/// package, its newest entry only (rpm keeps no old version).
extension TransactionsSection {
    static let rpmFixesStep = Step(.transactions, "rpm-fixes")

    /// Rows kept (advisories and CVEs together), history lines read, transactions in the
    /// window's first minute checked by their begin time.
    static let rpmFixRows = 2000
    static let rpmHistoryLines = 4000
    static let rpmEdgeTransactions = 5

    static func rpmFixesBody(since: Int) -> String {
        """
        set -f
        set --
        awk '{ print $1 }' "$PP_TMP/tx-rpm-versions" | sort -u >"$PP_TMP/tx-rpm-names"
        while read -r pp_name; do set -- "$@" "$pp_name"; done <"$PP_TMP/tx-rpm-names"
        if pp_has dnf || pp_has yum; then
            if pp_has dnf; then pp_dnf=dnf; else pp_dnf=yum; fi
            echo "M $pp_dnf"
        \(rpmHistory(since: since).indented(4))
            : >"$PP_TMP/tx-advisories"; : >"$PP_TMP/tx-cves"
            # A history that names no upgrade (new packages only, none beside an older version): nothing to look up.
            if [ -z "$pp_first" ] || awk -v vers="$PP_TMP/tx-rpm-versions" -v bef="$PP_TMP/tx-rpm-before" '
                FILENAME == vers { n[$1] = 1; next } FILENAME == bef { if ($1 in n) f = 1; next } $1 == "Upgraded" { f = 1 } END { exit !f }' \\
                "$PP_TMP/tx-rpm-versions" "$PP_TMP/tx-rpm-before" "$PP_TMP/tx-history"; then
                pp_to "$pp_dnf" -q -C updateinfo list --installed "$@" >"$PP_TMP/tx-advisories" || { echo "W advisories $?"; : >"$PP_TMP/tx-advisories"; }
                pp_to "$pp_dnf" -q -C updateinfo list --installed --with-cve "$@" >"$PP_TMP/tx-cves" || { echo "W cves $?"; : >"$PP_TMP/tx-cves"; }
            fi
            awk -v limit=\(rpmFixRows) -v vers="$PP_TMP/tx-rpm-versions" -v bef="$PP_TMP/tx-rpm-before" -v hist="$PP_TMP/tx-history" \\
                -v adv="$PP_TMP/tx-advisories" -v nofix="$PP_TMP/tx-rpm-changelogs" '\(rpmRowsAwk)' \\
                "$PP_TMP/tx-rpm-versions" "$PP_TMP/tx-rpm-before" "$PP_TMP/tx-history" "$PP_TMP/tx-advisories" "$PP_TMP/tx-cves"
            : >>"$PP_TMP/tx-rpm-changelogs"
        else
            awk -v vers="$PP_TMP/tx-rpm-versions" -v bef="$PP_TMP/tx-rpm-before" '\(rpmChangelogListAwk)' \\
                "$PP_TMP/tx-rpm-versions" "$PP_TMP/tx-rpm-before" >"$PP_TMP/tx-rpm-changelogs"
        fi
        # The changelogs: every changed package's without dnf or yum (no old version: the newest
        # entry), else the upgraded packages' that no advisory row named (to the old version's entry).
        pp_n=0
        while read -r pp_name pp_old pp_evr; do
            pp_n=$((pp_n + 1)); [ $pp_n -le \(changelogPackages) ] || { echo "T changelogs"; break; }
            [ "$pp_old" != - ] || pp_old=
            pp_to rpm -q --changelog "$pp_name-${pp_evr#*:}" 2>/dev/null | awk -v p="$pp_name" -v old="$pp_old" -v new="$pp_evr" '\(rpmChangelogAwk)'
        done <"$PP_TMP/tx-rpm-changelogs"
        echo "K $#"
        """
    }

    /// `$PP_TMP/tx-history`: `Upgraded NEVRA` and `Install NEVRA` of the transactions since the
    /// window, merged. `history list` dates are minutes (local time, as `date` prints them): the
    /// transactions of the window's own minute are checked by their begin time (GNU date reads
    /// it; when it cannot, the transaction counts as inside).
    static func rpmHistory(since: Int) -> String {
        """
        : >"$PP_TMP/tx-history"; pp_first=
        pp_from=$(date -d "@\(since)" '+%Y-%m-%d %H:%M' 2>/dev/null) || pp_from=
        if [ -n "$pp_from" ]; then
            pp_to "$pp_dnf" -q -C history list 2>/dev/null | awk -v f="$pp_from" '\(rpmHistoryListAwk)' >"$PP_TMP/tx-history-ids"
            pp_last=; pp_edges=0
            while read -r pp_id pp_where; do
                if [ "$pp_where" = edge ]; then
                    pp_edges=$((pp_edges + 1))
                    if [ $pp_edges -le \(rpmEdgeTransactions) ]; then
                        pp_begin=$(pp_to "$pp_dnf" -q -C history info "$pp_id" 2>/dev/null | sed -n 's/^Begin time *: *//p' | head -n 1)
                        pp_at=
                        [ -z "$pp_begin" ] || pp_at=$(date -d "$pp_begin" +%s 2>/dev/null) || pp_at=
                        if [ -n "$pp_at" ] && [ "$pp_at" -lt \(since) ]; then continue; fi
                    fi
                fi
                if [ -z "$pp_first" ] || [ "$pp_id" -lt "$pp_first" ]; then pp_first=$pp_id; fi
                if [ -z "$pp_last" ] || [ "$pp_id" -gt "$pp_last" ]; then pp_last=$pp_id; fi
            done <"$PP_TMP/tx-history-ids"
            if [ -n "$pp_first" ]; then
                echo "H $pp_first $pp_last"
                pp_to "$pp_dnf" -q -C history info "$pp_first..$pp_last" 2>/dev/null |
                    awk -v limit=\(rpmHistoryLines) '\(rpmHistoryInfoAwk)' >"$PP_TMP/tx-history"
            fi
        fi
        """
    }

    /// `history list` (dnf 4: `ID | Command line | Date and time | Action(s) | Altered`, yum:
    /// `ID | Login user | Date and time | ...`; the date counted from the end, a command line
    /// may hold `|`) → `ID in` from a later minute than `f`, `ID edge` from `f`'s own minute.
    static let rpmHistoryListAwk = #"BEGIN { FS = "|" } NF >= 5 { id = $1; gsub(/[ \t]/, "", id); d = $(NF - 2); sub(/^[ \t]+/, "", d); d = substr(d, 1, 16); if (id ~ /^[0-9]+$/ && d >= f) print id, (d == f ? "edge" : "in") }"#

    /// `history info A..B` (merged) → its `Upgraded NEVRA` (the version before) and `Install NEVRA` lines.
    static let rpmHistoryInfoAwk = #"($1 == "Upgraded" || $1 == "Install") && NF >= 2 && ++n <= limit { print $1, $2 }"#

    /// rpmvercmp in awk (rpm 4.x's rules, as Compare's RPMVersion: separators ignored, digits
    /// numerically and above letters, `~` below everything, `^` above the end only), over
    /// `epoch:version-release` strings (``norm`` adds the epoch 0). `nevra(s)` sets pn, pe, pv, pr.
    /// Checked against rpm 4.18's verdicts (Tests/CompareTests/Fixtures/rpm-vercmp.txt) under
    /// mawk, gawk and busybox awk. No `{n}` intervals (mawk 1.3.3).
    static let rpmVersionAwk = """
    function vercmp(a, b,   ca, cb, sa, sb) {
        a = a ""; b = b ""; if (a == b) return 0
        for (;;) {
            sub(/^[^A-Za-z0-9~^]+/, "", a); sub(/^[^A-Za-z0-9~^]+/, "", b)
            ca = substr(a, 1, 1); cb = substr(b, 1, 1)
            if (ca == "~" || cb == "~") { if (ca != "~") return 1; if (cb != "~") return -1; a = substr(a, 2); b = substr(b, 2); continue }
            if (ca == "^" || cb == "^") { if (a == "") return -1; if (b == "") return 1; if (ca != "^") return 1; if (cb != "^") return -1
                a = substr(a, 2); b = substr(b, 2); continue }
            if (a == "" || b == "") break
            if (ca ~ /[0-9]/) {
                match(a, /^[0-9]+/); sa = substr(a, 1, RLENGTH); a = substr(a, RLENGTH + 1)
                if (!match(b, /^[0-9]+/)) return 1
                sb = substr(b, 1, RLENGTH); b = substr(b, RLENGTH + 1)
                sub(/^0+/, "", sa); sub(/^0+/, "", sb)
                if (length(sa) != length(sb)) return length(sa) < length(sb) ? -1 : 1
            } else {
                match(a, /^[A-Za-z]+/); sa = substr(a, 1, RLENGTH); a = substr(a, RLENGTH + 1)
                if (!match(b, /^[A-Za-z]+/)) return -1
                sb = substr(b, 1, RLENGTH); b = substr(b, RLENGTH + 1)
            }
            if (sa != sb) return sa < sb ? -1 : 1
        }
        if (a == "" && b == "") return 0
        return a == "" ? -1 : 1
    }
    function norm(s) { return s ~ /^[0-9]+:/ ? s : "0:" s }
    function evrsplit(s, k,   i) { i = index(s, ":"); E[k] = substr(s, 1, i - 1) + 0; s = substr(s, i + 1)
        if (match(s, /-[^-]*$/)) { V[k] = substr(s, 1, RSTART - 1); R[k] = substr(s, RSTART + 1) } else { V[k] = s; R[k] = "" } }
    function evrcmp(a, b,   c) { evrsplit(a, 1); evrsplit(b, 2)
        if (E[1] != E[2]) return E[1] < E[2] ? -1 : 1
        c = vercmp(V[1], V[2]); if (c != 0) return c
        if (R[1] == "" && R[2] == "") return 0
        return vercmp(R[1], R[2]) }
    function nevra(s) {
        if (!match(s, /[.][^.]+$/)) return 0; s = substr(s, 1, RSTART - 1)
        if (!match(s, /-[^-]+$/)) return 0; pr = substr(s, RSTART + 1); s = substr(s, 1, RSTART - 1)
        if (!match(s, /-[^-]+$/)) return 0; pv = substr(s, RSTART + 1); pn = substr(s, 1, RSTART - 1)
        pe = 0; if (match(pv, /^[0-9]+:/)) { pe = substr(pv, 1, RLENGTH - 1) + 0; pv = substr(pv, RLENGTH + 1) }
        return pn != "" }
    """

    /// The rows the window's changes brought (see the type's comment). Rows: dnf 4 and yum
    /// `ID LABEL NEVRA`; dnf5 `ID TYPE SEVERITY NEVRA DATE...` (shape from its documentation, as
    /// ``DnfAdvisoriesParser/list(_:)``: not captured here).
    static let rpmRowsAwk = rpmVersionAwk + "\n" + rpmBeforeAwk + """

    FILENAME == hist { if (!nevra($2) || !(pn in names)) next
        if ($1 == "Install") fresh[pn] = 1
        else if (!(pn in old)) { old[pn] = pe ":" pv "-" pr; shown[pn] = (pe ? pe ":" : "") pv "-" pr; print "O " pn " " shown[pn] }
        next }
    # A version installed before the window beside the new one (a kernel): the old one.
    function settle(   p) { if (settled++) return
        for (p in before) if (!(p in old)) { old[p] = before[p]; shown[p] = beforeShown[p]; print "O " p " " shown[p] } }
    { settle(); if (NF == 3) s = $3; else if (NF >= 5 && $1 != "Name") s = $4; else next
      if (!nevra(s) || !(pn in names)) next
      x = pe ":" pv "-" pr
      if (pn in old) { if (evrcmp(x, old[pn]) <= 0 || evrcmp(x, newest[pn]) > 0) next }
      else if ((pn in fresh) || !((pn SUBSEP x) in new)) next
      kept[pn] = 1
      if (++n > limit) { cut = 1; next }
      print (FILENAME == adv ? "L " : "X ") $0 }
    END { settle(); if (cut) print "T fixes"
          for (p in old) if (!(p in kept)) print p, shown[p], last[p] > nofix }
    """

    /// The installed versions (`vers`) and the newest of each name's versions installed before
    /// the window (`bef`): `FILENAME == vers` and `== bef` blocks, `before[name]` (normalized)
    /// and `beforeShown[name]` (as rpm prints it).
    static let rpmBeforeAwk = """
    FILENAME == vers { v = norm($2); names[$1] = 1; new[$1 SUBSEP v] = 1; last[$1] = $2
        if (!($1 in newest) || evrcmp(v, newest[$1]) > 0) newest[$1] = v
        next }
    FILENAME == bef { if (!($1 in names)) next; v = norm($2)
        if (!($1 in before) || evrcmp(v, before[$1]) > 0) { before[$1] = v; beforeShown[$1] = $2 }
        next }
    """

    /// Without dnf or yum: `name old|- new` per changed package, the old version the newest
    /// installed before the window beside it (a kernel), else unknown (`-`).
    static let rpmChangelogListAwk = rpmVersionAwk + "\n" + rpmBeforeAwk + """

    END { for (p in last) print p, (p in beforeShown ? beforeShown[p] : "-"), last[p] }
    """

    /// One `rpm -q --changelog` (stdin) → the changelog step's `V` line: the CVE ids of the
    /// entries (`* date author - [epoch:]version-release` starts one) above the old version's, `ok`
    /// when it came; with no old version (`old` empty) the newest entry only, `cut`; within
    /// ``changelogLines`` lines and ``changelogBytes`` bytes. An entry's release often lacks the
    /// dist tag (RHEL's openssl-3.0.7-24.el9 says `- 1:3.0.7-24`): the old version matches then too.
    static let rpmChangelogAwk = takeIdsAwk + """

    BEGIN { o = old; sub(/^[0-9]+:/, "", o) }
    { bytes += length($0) + 1; if (NR > \(changelogLines) || bytes > \(changelogBytes)) exit }
    /^[*] / { v = $NF; sub(/^-/, "", v); sub(/^[0-9]+:/, "", v)
        if (o != "" && (v == o || (index(o, v ".") == 1 && substr(o, length(v) + 2, 1) ~ /[A-Za-z]/))) { reached = 1; exit }
        if (o == "" && ++entries > 1) exit
        next }
    { take("CVE-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*") }
    END { if (ids != "") print "V " p " " new " " (reached ? "ok" : "cut") ids }
    """
}

extension TransactionsParser {
    struct RpmFixes: Equatable {
        /// nil without the step's `K` line (it did not end).
        var fixes: [PackageFix]?
        /// Old versions by package name, from the package manager's history.
        var old: [String: String] = [:]
        var truncated = false
        var notes: [String] = []
    }

    /// The step's lines by kind: `L` advisory rows, `X` CVE rows, `O` old versions, `W` failed
    /// lists, `M` the manager, `T` cuts, `V`/`K` changelog lines.
    struct RpmFixLines {
        var advisoryRows: [Substring] = [], cveRows: [Substring] = [], changelog: [Substring] = []
        var old: [String: String] = [:]
        var failed: [(what: Substring, exit: String)] = []
        var manager: String?
        var rowsCut = false, changelogsCut = false
        var skipped = 0

        init(_ text: String) {
            for line in text.lines() {
                guard line.count > 2, line.dropFirst().first == " " else { if !line.isEmpty { skipped += 1 }; continue }
                let rest = line.dropFirst(2)
                switch line.first {
                case "L": advisoryRows.append(rest)
                case "X": cveRows.append(rest)
                case "O":
                    let w = rest.split(separator: " ")
                    guard w.count == 2 else { skipped += 1; continue }
                    old[String(w[0])] = String(w[1])
                case "W":
                    let w = rest.split(separator: " ")
                    failed.append((w.first ?? "", w.count > 1 ? String(w[1]) : "?"))
                case "M": manager = String(rest)
                case "H": break
                case "T":
                    if rest == "changelogs" { changelogsCut = true } else { rowsCut = true }
                case "V", "K": changelog.append(line)
                default: skipped += 1
                }
            }
        }
    }

    /// Reads the `rpm-fixes` step (see ``TransactionsSection/rpmFixesBody(since:)``): the rows
    /// through ``DnfAdvisoriesParser/list(_:)``, the changelog lines through ``parseFixes(_:)``.
    /// `changes`: the rpm step's records, for the versions installed now. Pure; never fails.
    static func parseRpmFixes(_ text: String, changes: [PackageChangeRecord]) -> RpmFixes {
        let lines = RpmFixLines(text)
        var result = RpmFixes()
        result.old = lines.old
        let read = TransactionsParser.parseFixes(lines.changelog.joined(separator: "\n"))
        result.truncated = lines.rowsCut || lines.changelogsCut
        result.notes = rpmFixNotes(lines, read)
        guard let fixes = read.value else { return result }
        result.fixes = withAdvisories(fixes, lines, installed: installedVersions(changes))
        return result
    }

    /// What the step could not do, one note each.
    static func rpmFixNotes(_ lines: RpmFixLines, _ read: (value: [PackageFix]?, truncated: Bool, notes: [String])) -> [String] {
        var notes: [String] = lines.failed.map { failed in
            failed.what == "cves"
                ? "transactions: updateinfo list --with-cve failed (exit \(failed.exit)): the CVE ids the advisories name are unknown"
                : "transactions: updateinfo list --installed failed (exit \(failed.exit)): the upgrades' advisories are unknown, "
                    + "their fixes come from their rpm changelogs only"
        }
        // parseFixes speaks of Debian changelogs: say what bounded here.
        notes += read.notes.filter { !$0.hasPrefix("transactions: the changelogs of") }
        if lines.rowsCut {
            notes.append("transactions: more than \(TransactionsSection.rpmFixRows) \(lines.manager ?? "dnf") updateinfo rows for the changed packages: the rest were not read")
        }
        if lines.changelogsCut {
            notes.append("transactions: more than \(TransactionsSection.changelogPackages) packages to read rpm changelogs of: the others' were not read")
        }
        let partial = (read.value ?? []).filter { $0.partial == true }.map(\.package)
        if !partial.isEmpty {
            let names = partial.prefix(5).joined(separator: ", ") + (partial.count > 5 ? " (+\(partial.count - 5) more)" : "")
            notes.append(lines.manager == nil
                ? "transactions: no dnf or yum: the fixes of \(names) are read from their newest rpm changelog entry only (rpm keeps no old version)"
                : "transactions: the rpm changelogs of \(names) did not reach the old version's entry within their bounds: their fixes are read from the newest entries only")
        }
        if lines.skipped > 0 { notes.append("transactions: \(lines.skipped) unreadable rpm-fixes line(s) skipped") }
        return notes
    }

    /// The version installed now of each name: the newest install time's record of it.
    static func installedVersions(_ changes: [PackageChangeRecord]) -> [String: String] {
        var installed: [String: (at: String, version: String)] = [:]
        for c in changes {
            guard let v = c.new else { continue }
            if let seen = installed[c.name], seen.at > c.at { continue }
            installed[c.name] = (c.at, v)
        }
        return installed.mapValues(\.version)
    }

    /// The changelogs' fixes with the updateinfo rows' advisory and CVE ids added, for the
    /// packages installed now; those left without an id dropped; ids and packages sorted.
    static func withAdvisories(_ fixes: [PackageFix], _ lines: RpmFixLines, installed: [String: String]) -> [PackageFix] {
        var byName: [String: PackageFix] = Dictionary(uniqueKeysWithValues: fixes.map { ($0.package, $0) })
        func add(_ rows: [Substring], _ put: (inout PackageFix, String) -> Void) {
            for row in DnfAdvisoriesParser.list(rows.joined(separator: "\n")).rows {
                let name = row.nameArch.lastIndex(of: ".").map { String(row.nameArch[..<$0]) } ?? row.nameArch
                guard let version = installed[name] else { continue }
                put(&byName[name, default: PackageFix(package: name, version: version)], row.id)
            }
        }
        add(lines.advisoryRows) { fix, id in if !fix.advisories.contains(id) { fix.advisories.append(id) } }
        add(lines.cveRows) { fix, id in if DnfAdvisoriesParser.isCVE(Substring(id)), !fix.cves.contains(id) { fix.cves.append(id) } }
        return byName.values.filter { !$0.cves.isEmpty || !$0.advisories.isEmpty }.map { fix in
            var f = fix
            f.cves.sort(by: idOrder)
            f.advisories.sort(by: idOrder)
            return f
        }.sorted { $0.package < $1.package }
    }
}

extension String {
    /// Every line but empty ones indented by `n` spaces (a shell fragment inside a block).
    func indented(_ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
}
