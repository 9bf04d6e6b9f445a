import Foundation
import Model

/// What the package manager did since the baseline, for `explainedBy` (Compare's Attribution):
/// dpkg's log (`/var/log/dpkg.log`, its rotations included, the oldest only as far back as the
/// window needs), apt's history.log for the runs and their errors, and each changed package's
/// files that findings name (units, programs, shared libraries) from dpkg's `.list` files.
/// RPM hosts: `rpm -qa` by install time since the window, with `rpm -ql`.
///
/// Only when the capture knows its baseline (``ScriptOptions/transactionsSince``): a baseline
/// needs no log. Bounded: four rotations, ``changeLimit`` changes (the newest kept),
/// ``packageLimit`` packages' files, ``filesPerPackage`` files each.
enum TransactionsSection {
    static let dpkgStep = Step(.transactions, "dpkg")
    static let rpmStep = Step(.transactions, "rpm")
    static let changelogStep = Step(.transactions, "changelogs")

    static let changeLimit = 5000
    static let runLimit = 500
    static let packageLimit = 400
    static let filesPerPackage = 300
    /// The changelog reads: at most this many upgraded packages, lines and bytes each.
    static let changelogPackages = 100
    static let changelogLines = 200
    static let changelogBytes = 65536

    /// The files of a package that a finding can name: unit files, programs, shared libraries,
    /// kernel images. One awk ERE, used on dpkg's `.list` files and `rpm -ql` alike.
    static let interestingFiles = #"(/systemd/system/[^/]+\.(service|socket|timer)$)|(^/(usr/)?(s?bin|libexec)/[^/]+$)|(^/(usr/)?lib[^/]*/.*\.so(\.[0-9]+)*$)|(^/boot/vmlinu)"#

    /// ``interestingFiles`` as an awk regular expression literal's body.
    static let awkRegex = interestingFiles.replacingOccurrences(of: "/", with: "\\/")

    /// `P` lines: the window and the host's offset. `C` lines: dpkg's changes in the window
    /// (`C date time action pkg:arch old new`). `R` lines: apt runs (start|end|command|count|error).
    /// `F pkg path`: the changed packages' interesting files. `T`: a bound was reached.
    static func dpkgBody(since: Int) -> String {
        windowAndChanges(since: since) + aptRuns + changedFiles
    }

    /// The window (or nothing to read), then dpkg's changes in it (`C`), the packages they name
    /// (`$PP_TMP/tx-packages`) and the upgrades with their first old and last new version
    /// (`$PP_TMP/tx-upgrades`).
    static func windowAndChanges(since: Int) -> String {
        """
        # Neither log written since the window opened (a drift check of an unchanged host, the
        # common case): nothing to read. One touch and one find (POSIX sh has no -nt), where
        # reading the logs costs the realistic host 13 ms.
        if touch -d "@\(since)" "$PP_TMP/tx-since" 2>/dev/null \\
            && [ -z "$(find /var/log/dpkg.log /var/log/apt/history.log -newer "$PP_TMP/tx-since" 2>/dev/null)" ]; then
            : >"$PP_TMP/tx-upgrades"; echo 'P @\(since)|'; exit 0
        fi
        pp_from=$(date -d "@\(since)" '+%Y-%m-%d %H:%M:%S' 2>/dev/null) || pp_from=
        [ -n "$pp_from" ] || { echo 'cannot convert the baseline time with date -d' >&2; exit 2; }
        printf 'P %s|%s\\n' "$pp_from" "$(date +%z 2>/dev/null)"
        # The logs that reach into the window, oldest first: a rotation is read only if the one
        # after it starts inside the window.
        set --
        for pp_log in /var/log/dpkg.log /var/log/dpkg.log.1 /var/log/dpkg.log.2.gz /var/log/dpkg.log.3.gz; do
            [ -r "$pp_log" ] || break
            set -- "$pp_log" "$@"
            case $pp_log in *.gz) pp_first=$(gzip -dc "$pp_log" 2>/dev/null | head -n 1) ;; *) pp_first=$(head -n 1 "$pp_log") ;; esac
            printf '%s\\n' "$pp_first" | awk -v f="$pp_from" '{ exit !(substr($0, 1, 19) < f) }' && break
        done
        for pp_log; do case $pp_log in *.gz) gzip -dc "$pp_log" 2>/dev/null ;; *) cat "$pp_log" ;; esac; done |
            awk -v f="$pp_from" -v limit=\(changeLimit) -v pkgs="$PP_TMP/tx-packages" -v ups="$PP_TMP/tx-upgrades" '
            ($1 " " $2) >= f && ($3 == "install" || $3 == "upgrade" || $3 == "remove" || $3 == "purge") {
                line[++n] = $0; if (n > limit) { delete line[n - limit]; cut = 1 }
                # An upgrade: the version before the window (its first old) and the last new, by name.
                p = $4; sub(/:.*$/, "", p)
                if ($3 == "upgrade" && $5 != "<none>") { if (!(p in old)) old[p] = $5; new[p] = $6 } else if ($3 != "upgrade") delete old[p] }
            END { s = n > limit ? n - limit + 1 : 1
                  for (i = s; i <= n; i++) { print "C " line[i]; split(line[i], w, " "); print w[4] > pkgs }
                  for (p in old) print p, old[p], new[p] > ups
                  if (cut) print "T changes" }'
        : >>"$PP_TMP/tx-packages"; : >>"$PP_TMP/tx-upgrades"

        """
    }

    /// apt's runs in the window (`R`), from history.log and its last rotation.
    static let aptRuns = """
        # apt's runs in the window: the command's program and subcommand only (arguments can hold anything).
        set --
        for pp_log in /var/log/apt/history.log /var/log/apt/history.log.1.gz; do [ -r "$pp_log" ] && set -- "$pp_log" "$@"; done
        for pp_log; do case $pp_log in *.gz) gzip -dc "$pp_log" 2>/dev/null ;; *) cat "$pp_log" ;; esac; done |
            awk -v f="$pp_from" -v limit=\(runLimit) '
            function flush() { if (s != "" && s >= f && ++n <= limit) print "R " s "|" e "|" c "|" k "|" r; s = e = c = r = ""; k = 0 }
            /^Start-Date: / { flush(); s = $2 " " $3 }
            /^End-Date: / { e = $2 " " $3 }
            /^Commandline: / { c = $2; sub(/^.*\\//, "", c); for (i = 3; i <= NF; i++) if ($i !~ /^-/ && $(i - 1) != "-o" && $i !~ /=/) { c = c " " $i; break } }
            /^(Install|Upgrade|Remove|Purge|Downgrade|Reinstall): / { k += gsub(/\\), /, "&") + 1 }
            /^Error: / { r = substr($0, 8, 200) }
            END { flush(); if (n > limit) print "T runs" }'

        """

    /// The changed packages' unit files, programs and libraries (`F`), bounded, and `true` (the step's status).
    static let changedFiles = """
        # The changed packages' files, from their .list files (name or name:arch).
        pp_n=0; set --
        sort -u "$PP_TMP/tx-packages" >"$PP_TMP/tx-sorted"
        while read -r pp_pkg; do
            pp_n=$((pp_n + 1)); [ $pp_n -le \(packageLimit) ] || { echo "T packages"; break; }
            pp_name=${pp_pkg%%:*}
            if [ -r "/var/lib/dpkg/info/$pp_pkg.list" ]; then set -- "$@" "/var/lib/dpkg/info/$pp_pkg.list"
            elif [ -r "/var/lib/dpkg/info/$pp_name.list" ]; then set -- "$@" "/var/lib/dpkg/info/$pp_name.list"; fi
        done <"$PP_TMP/tx-sorted"
        if [ $# -gt 0 ]; then
            awk -v limit=\(filesPerPackage) '
            FNR == 1 { p = FILENAME; sub(/^.*\\//, "", p); sub(/\\.list$/, "", p); sub(/:.*$/, "", p); k = 0 }
            /\(awkRegex)/ && !/\\/gconv\\// && ++k <= limit { print "F " p " " $0 }' "$@"
        fi
        true
        """


    /// What the upgrades fixed: for each package upgraded in the window (`$PP_TMP/tx-upgrades`,
    /// `name old new`, from ``dpkgBody(since:)``), its installed changelog (`changelog.Debian.gz`,
    /// or `changelog.gz` for a native package; the doc folder may be a link to its source's other
    /// binary package, which shares the changelog), the entries above the old version's: the CVE
    /// ids and Debian advisory ids (DSA-, DLA-) they name. `V name new ok|cut id...` per package
    /// with any (`cut`: a bound or the file's end came before the old version's entry), `K read`
    /// (changelogs read), `T fixes` when there were more than ``changelogPackages``. The doc
    /// folder can be trimmed (path-exclude in dpkg.cfg.d): no changelog, nothing said.
    static let changelogBody = """
        pp_n=0; pp_read=0
        while read -r pp_name pp_old pp_new; do
            pp_n=$((pp_n + 1)); [ $pp_n -le \(changelogPackages) ] || { echo "T fixes"; break; }
            pp_log=/usr/share/doc/$pp_name/changelog.Debian.gz
            [ -r "$pp_log" ] || pp_log=/usr/share/doc/$pp_name/changelog.gz
            [ -r "$pp_log" ] || continue
            pp_read=$((pp_read + 1))
            gzip -dc "$pp_log" 2>/dev/null | awk -v p="$pp_name" -v old="$pp_old" -v new="$pp_new" '\(changelogAwk)'
        done <"$PP_TMP/tx-upgrades"
        echo "K $pp_read"
        """

    /// `take(re)`: each id matching `re` in the line, once, appended to `ids`.
    static let takeIdsAwk = """
    function take(re,   s) { s = $0
        while (match(s, re)) { id = substr(s, RSTART, RLENGTH); if (!(id in seen)) { seen[id] = 1; ids = ids " " id }
            s = substr(s, RSTART + RLENGTH) } }
    """

    /// One changelog (stdin) → its `V` line: the ids of the entries above the old version's (or
    /// its binNMU's source version), within ``changelogLines`` lines and ``changelogBytes`` bytes.
    /// Variables: `p` the package, `old` and `new` its versions. No `{n}` intervals (mawk 1.3.3).
    static let changelogAwk = takeIdsAwk + """

    BEGIN { binnmu = old; sub(/[+]b[0-9]+$/, "", binnmu) }
    { bytes += length($0) + 1; if (NR > \(changelogLines) || bytes > \(changelogBytes)) exit }
    /^[A-Za-z0-9][A-Za-z0-9+.~-]* [(][^)]*[)]/ { v = $2; gsub(/[()]/, "", v); if (v == old || v == binnmu) { reached = 1; exit }; next }
    { take("CVE-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*"); take("D[LS]A-[0-9][0-9]*(-[0-9][0-9]*)?") }
    END { if (ids != "") print "V " p " " new " " (reached ? "ok" : "cut") ids }
    """

    /// RPM: packages installed or upgraded since the window (install time), their interesting
    /// files; the versions installed before it (`$PP_TMP/tx-rpm-before`, for the rpm-fixes step:
    /// a kernel's new version sits beside the old).
    static func rpmBody(since: Int) -> String {
        """
        printf 'P @%s|%s\\n' \(since) "$(date +%z 2>/dev/null)"
        pp_to rpm -qa --qf '%{INSTALLTIME} %{NAME} %{ARCH} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n' |
            awk -v f=\(since) -v limit=\(packageLimit) -v out="$PP_TMP/tx-packages" -v vers="$PP_TMP/tx-rpm-versions" -v bef="$PP_TMP/tx-rpm-before" '
            $1 >= f && ++n <= limit { print "I " $0; print $2 > out; print $2, $4 > vers }
            $1 < f { print $2, $4 > bef }'
        : >>"$PP_TMP/tx-packages"; : >>"$PP_TMP/tx-rpm-versions"; : >>"$PP_TMP/tx-rpm-before"
        sort -u "$PP_TMP/tx-packages" | while read -r pp_pkg; do
            pp_to rpm -ql "$pp_pkg" 2>/dev/null | awk -v p="$pp_pkg" -v limit=\(filesPerPackage) '/\(awkRegex)/ && ++k <= limit { print "F " p " " $0 }'
        done
        true
        """
    }

    static func fragment(_ options: ScriptOptions) -> String {
        guard let since = options.transactionsSince else { return "" }
        let epoch = Int(since.timeIntervalSince1970)
        return "if [ -r /var/log/dpkg.log ] && pp_has awk && [ -n \"$PP_TMP\" ]; then\n"
            + ScriptFraming.step(dpkgStep, dpkgBody(since: epoch))
            + "if pp_has gzip; then\n" + ScriptFraming.step(changelogStep, changelogBody) + "fi\n"
            + "elif pp_has rpm && pp_has awk && [ -n \"$PP_TMP\" ]; then\n"
            + ScriptFraming.step(rpmStep, rpmBody(since: epoch))
            + "if [ -s \"$PP_TMP/tx-rpm-versions\" ]; then\n" + ScriptFraming.step(rpmFixesStep, rpmFixesBody(since: epoch)) + "fi\n"
            + "fi\n"
    }
}

extension TransactionsSection {
    static func parse(_ output: ScriptOutput) -> (value: PackageTransactions?, notes: [String]) {
        for step in [dpkgStep, rpmStep] {
            guard let out = output[step: step] else { continue }
            var notes: [String] = []
            if let problem = out.problem("transactions", step == dpkgStep ? "reading dpkg's log" : "rpm -qa") { notes.append(problem) }
            var parsed = TransactionsParser.parse(out.stdout)
            if parsed.value != nil, let changelogs = output[step: changelogStep] {
                let fixes = TransactionsParser.parseFixes(changelogs.stdout)
                if let problem = changelogs.problem("transactions", "reading the upgraded packages' changelogs") {
                    parsed.notes.append(problem)
                }
                // A step cut short read only some changelogs: unknown, not "fixed nothing".
                if changelogs.status == 0 { parsed.value?.fixes = fixes.value }
                if fixes.truncated { parsed.value?.truncated = true }
                parsed.notes += fixes.notes
            }
            if step == rpmStep, parsed.value != nil { rpmFixes(output, out, &parsed) }
            return (parsed.value, notes + parsed.notes)
        }
        return (nil, [])
    }

    /// RPM: the `rpm-fixes` step's old versions mark the changes upgrades, its fixes fill
    /// `fixes`. It runs only when the rpm step found changes: none (and the rpm step whole) means
    /// nothing was fixed (`[]`).
    static func rpmFixes(_ output: ScriptOutput, _ rpm: StepOutput, _ parsed: inout (value: PackageTransactions?, notes: [String])) {
        guard var value = parsed.value else { return }
        defer { parsed.value = value }
        guard let step = output[step: rpmFixesStep] else {
            if rpm.status == 0, value.changes.isEmpty { value.fixes = [] }
            return
        }
        let read = TransactionsParser.parseRpmFixes(step.stdout, changes: value.changes)
        for i in value.changes.indices {
            guard let old = read.old[value.changes[i].name] else { continue }
            value.changes[i].action = "upgrade"
            value.changes[i].old = old
        }
        if let problem = step.problem("transactions", "reading what the RPM upgrades fixed (updateinfo, history or changelogs)") {
            parsed.notes.append(problem)
        }
        // A step cut short read only some: unknown, not "fixed nothing".
        if step.status == 0 { value.fixes = read.fixes }
        if read.truncated { value.truncated = true }
        parsed.notes += read.notes
    }

    /// The section's entry in the registry (``SectionCollector``). The changelog step is a detail:
    /// when it fails, the package log is still whole and `fixes` is unknown (nil), with a note.
    static let collector = SectionCollector(
        fragment: { fragment($0.options) },
        capture: CaptureRule(steps: [dpkgStep, rpmStep], missing: nil, tools: "dpkg's log or rpm"),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.transactions = parsed.value
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Transactions"])
}
