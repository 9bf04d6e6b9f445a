import Model

/// Processes still running code that was deleted or replaced since they started: the shell
/// that finds them. One pass over every /proc/PID/maps (one grep, two awk), so the cost does
/// not grow with a fork per process; per-process details only for the processes it flags.
///
/// Output lines (parsed by ``OutdatedParser``):
/// - `self=PID`: the script's own shell (its mount namespace is the host's).
/// - `D ID PATH (deleted)` / `R ID PATH`: an executable mapping whose file was deleted, or
///   whose path now holds another inode (replaced); ID numbers the mapping.
/// - `P PID ID...`: a process and the flagged mappings it has.
/// - `/proc/PID/stat:...`, `/proc/PID/cgroup:...` (grep -H): name, tty, and unit of each flagged process.
/// - `ls -l` lines of /proc/PID/ns/mnt (captures before roots were listed; now the script keeps
///   them to itself): which flagged processes see the files through their own mount namespace
///   (sandboxed units: `ProtectSystem=`, `PrivateTmp=`; and containers).
/// - `root /proc/PID/root DEV:INO` (`stat -L`; `root /proc/PID/root INO` from `ls -dLi` where
///   there is no stat): a process whose root differs from PID 1's is in a container, its files
///   are not the host's, and it is skipped. A sandboxed unit shares the host's root: it is checked.
/// - `S PID ID`: a replaced mapping that, asked through the process's own view
///   (`/proc/PID/root/PATH`, as needrestart does), still holds the mapped inode: current for that
///   process, not replaced. Asked only for flagged processes in another mount namespace.
/// - `/run/NAME.pid:PID` (grep -H, hosts without systemd): SysV/OpenRC services by pid file.
enum OutdatedSection {
    // The steps of the section (`outdated.<tool>` in the script and its output).
    static let mapsStep = Step(.outdated, "maps")

    /// Every executable mapping, numbered once per (inode, path): `K ID INODE PATH`, then per
    /// process `P PID ID...`. Anonymous and inode-0 mappings are not files. The paths still
    /// present (not marked deleted) also go to the file `paths` (`outdated-paths`), to ask for their inode now,
    /// each byte outside `[A-Za-z0-9_./+-]` after a backslash, as xargs reads quoting.
    static let collectAwk = """
    { split($1, a, "/"); pid = a[3]
      p = $0; sub(/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, "", p)
      if (substr(p, 1, 1) != "/" || $5 == "0") next
      k = $5 " " p
      if (!(k in id)) { id[k] = ++n; print "K " n " " k
        if (!(length(p) > 10 && substr(p, length(p) - 9) == " (deleted)")) { q = p; gsub("[^A-Za-z0-9_./+-]", "\\\\\\\\&", q); print q > paths } }
      if (!((pid, id[k]) in seen)) { seen[pid, id[k]] = 1; ids[pid] = ids[pid] " " id[k] }
    }
    END { for (pid in ids) print "P " pid ids[pid] }
    """

    /// Joins the inodes now (`ls -diL`) with the mappings: prints the flagged mappings (D, R) and
    /// the processes holding them (P), and writes those pids to the file `pids` (`outdated-pids`).
    /// Scratch mappings (``OutdatedParser/ignoredPrefixes``) are dropped here already, so the
    /// processes holding only those cost no further output.
    /// Each replaced (R) mapping of a flagged process also goes to the file `replaced`
    /// (`outdated-replaced`) as `PID ID INODE PATH`, for ``viewAwk``.
    static let joinAwk = """
    FILENAME == nowf { i = $1; p = $0; sub(/^ *[0-9]+ /, "", p); now[p] = i; next }
    $1 == "K" { p = $0; sub(/^K [0-9]+ [0-9]+ /, "", p)
      if (\(scratchTest)) next
      if (length(p) > 10 && substr(p, length(p) - 9) == " (deleted)") { bad[$2] = 1; print "D " $2 " " p }
      else if ((p in now) && now[p] != $3) { bad[$2] = 1; rino[$2] = $3; rpath[$2] = p; print "R " $2 " " p }
      next }
    $1 == "P" { s = ""; for (i = 3; i <= NF; i++) if ($i in bad) { s = s " " $i; if ($i in rino) print $2 " " $i " " rino[$i] " " rpath[$i] > replaced }
      if (s != "") { print "P " $2 s; print $2 > pids } }
    """

    /// The replaced mappings of processes in another mount namespace than the script's, as the
    /// process sees them: `/proc/PID/root/PATH`, quoted for xargs as in ``collectAwk``. A host
    /// path need not answer for a sandboxed unit (its own mounts over /usr, /opt...); its view does.
    static let viewAwk = """
    FILENAME == nsf { n = split($(NF - 2), a, "/"); if (n >= 4) ns[a[3]] = $NF; next }
    ($1 in ns) && ns[$1] != ns[self] { p = $0; sub(/^[0-9]+ [0-9]+ [0-9]+ /, "", p)
      q = "/proc/" $1 "/root" p; gsub("[^A-Za-z0-9_./+-]", "\\\\\\\\&", q); print q }
    """

    /// Joins the inodes seen through each process's view (`ls -diL`) with its replaced mappings:
    /// `S PID ID` for a mapping whose inode is still the one at its path in that view.
    static let sameAwk = """
    FILENAME == viewf { i = $1; p = $0; sub(/^ *[0-9]+ /, "", p); now[p] = i; next }
    { p = $0; sub(/^[0-9]+ [0-9]+ [0-9]+ /, "", p); k = "/proc/" $1 "/root" p
      if ((k in now) && now[k] == $3) print "S " $1 " " $2 }
    """

    /// awk: true when `p` starts with one of the parser's ignored prefixes (one list, two uses).
    static let scratchTest = OutdatedParser.ignoredPrefixes.map { "index(p, \"\($0)\") == 1" }.joined(separator: " || ")

    static let fragment: String =
        "if pp_has grep && pp_has awk && pp_has xargs && [ -r /proc/self/maps ]; then\n"
        + ScriptFraming.step(mapsStep, """
        [ -n "$PP_TMP" ] || exit 3
        echo "self=$$"
        : >"$PP_TMP/outdated-pids"
        : >"$PP_TMP/outdated-replaced"
        grep -H ' ..x. ' /proc/[0-9]*/maps 2>/dev/null | awk -v paths="$PP_TMP/outdated-paths" \(ShellQuote.quote(collectAwk)) >"$PP_TMP/outdated-mappings"
        : >>"$PP_TMP/outdated-paths"
        xargs -r ls -diL <"$PP_TMP/outdated-paths" 2>/dev/null >"$PP_TMP/outdated-inodes"
        awk -v nowf="$PP_TMP/outdated-inodes" -v pids="$PP_TMP/outdated-pids" -v replaced="$PP_TMP/outdated-replaced" \(ShellQuote.quote(joinAwk)) "$PP_TMP/outdated-inodes" "$PP_TMP/outdated-mappings"
        pp_flagged=; while read -r pp_pid; do pp_flagged="$pp_flagged $pp_pid"; done <"$PP_TMP/outdated-pids"
        set --
        for pp_pid in $pp_flagged; do set -- "$@" "/proc/$pp_pid/stat" "/proc/$pp_pid/cgroup"; done
        if [ $# -gt 0 ]; then grep -H '' "$@" 2>/dev/null; fi
        # Roots, mount namespaces and pid files matter only for flagged processes (commonly none).
        if [ -n "$pp_flagged" ]; then
            set -- "/proc/$$/ns/mnt"
            for pp_pid in $pp_flagged; do set -- "$@" "/proc/$pp_pid/ns/mnt"; done
            ls -l "$@" 2>/dev/null >"$PP_TMP/outdated-ns"
            # A container is a process whose root differs from PID 1's (device and inode); a
            # sandboxed unit has its own mount namespace on the host's root and is checked.
            set -- /proc/1/root "/proc/$$/root"
            for pp_pid in $pp_flagged; do set -- "$@" "/proc/$pp_pid/root"; done
            if pp_has stat; then stat -L -c 'root %n %d:%i' "$@" 2>/dev/null
            else ls -dLi "$@" 2>/dev/null >"$PP_TMP/outdated-roots"; awk '{ print "root " $2 " " $1 }' "$PP_TMP/outdated-roots"; fi
            awk -v nsf="$PP_TMP/outdated-ns" -v self="$$" \(ShellQuote.quote(viewAwk)) "$PP_TMP/outdated-ns" "$PP_TMP/outdated-replaced" \
                | xargs -r ls -diL 2>/dev/null >"$PP_TMP/outdated-views"
            if [ -s "$PP_TMP/outdated-views" ]; then
                awk -v viewf="$PP_TMP/outdated-views" \(ShellQuote.quote(sameAwk)) "$PP_TMP/outdated-views" "$PP_TMP/outdated-replaced"
            fi
            if [ ! -d /run/systemd/system ]; then grep -H '' /run/*.pid /run/*/*.pid 2>/dev/null; fi
        fi
        true
        """)
        + "else\n" + ScriptFraming.missing(mapsStep, tools: ["grep", "awk", "xargs", "/proc"]) + "fi\n"

    static func parse(_ output: ScriptOutput, uid: Int?) -> (items: [OutdatedService], notes: [String], partial: String?) {
        guard let step = output[step: mapsStep] else { return ([], [], nil) }
        let parsed = OutdatedParser.parse(step.stdout)
        var partial: String?
        if let uid, uid != 0 {
            partial = "not root (uid \(uid)): other users' processes could not be read; run with --sudo or log in as root"
        }
        return (parsed.services, parsed.notes, partial)
    }
}

extension OutdatedSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [mapsStep], missing: mapsStep, tools: "grep, awk and xargs with a readable /proc"),
        parse: { output, _, snapshot in
            let parsed = parse(output, uid: SystemSection.uid(output))
            snapshot.outdated = parsed.items
            return .init(notes: parsed.notes, partial: parsed.partial)
        }, fuzzTargets: ["Outdated"])
}
