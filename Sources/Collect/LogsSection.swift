import Model

/// What went wrong on the host since it booted: per unit, the journal messages at priority err
/// or worse, and core dumps. One bounded journalctl read serves both (systemd-coredump records
/// each dump in the journal, which is what `coredumpctl list` shows); where the kernel writes
/// core files instead (`core_pattern` a path, Debian's default `core`), a glob finds them.
///
/// Without journald (busybox, SysV hosts) the section is skipped with the reason: unknown,
/// never "no errors".
enum LogsSection {
    // The steps of the section (`logs.<tool>` in the script and its output).
    static let coresStep = Step(.logs, "cores")
    static let journalStep = Step(.logs, "journal")

    /// The newest this many entries of the boot are read: journalctl walks the journal's
    /// priority index backwards from the end, so the cost stays flat however long the boot.
    static let entryLimit = 2000
    /// At most this many core files are listed.
    static let coreFileLimit = 100

    /// Everything the parser reads; `--output-fields` keeps the JSON small (journalctl adds its
    /// cursor, timestamps and boot id to every entry anyway).
    static let journalFields = ["_SYSTEMD_UNIT", "UNIT", "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "_TRANSPORT",
                                "MESSAGE_ID", "COREDUMP_EXE", "COREDUMP_PID", "COREDUMP_SIGNAL", "COREDUMP_UNIT",
                                "COREDUMP_FILENAME", "COREDUMP_TIMESTAMP"]

    static var journalCommand: String { "journalctl -b -p err -n \(entryLimit) -o json --no-pager" }

    static let fragment: String =
        "if pp_has journalctl && [ -S /run/systemd/journal/socket ]; then\n"
        // journalctl before systemd 236 (CentOS 7) has no --output-fields: it says so, and the
        // whole entries are read instead.
        + ScriptFraming.step(journalStep, """
        pp_to \(journalCommand) --output-fields=\(journalFields.joined(separator: ",")); pp_journal_rc=$?
        if [ $pp_journal_rc -ne 0 ] && grep -q -e '--output-fields' "$PP_STEP_STDERR" 2>/dev/null; then pp_to \(journalCommand); pp_journal_rc=$?; fi
        exit $pp_journal_rc
        """, shellcheck: "disable=SC2094 # grep reads what journalctl wrote to this step's stderr file so far, on purpose")
        + ScriptFraming.step(coresStep, coresBody)
        + "elif pp_has journalctl; then "
        + ScriptFraming.skip(.logs, "journald is not running (no /run/systemd/journal/socket): no journal to read")
        + "else " + ScriptFraming.skip(.logs, "no journalctl (no journald): messages at priority err and core dumps not read")
        + "fi\n"

    /// Core files where `core_pattern` puts them. A relative pattern (the kernel's default
    /// `core`) writes into the crashing process's working directory: `/` for a service without
    /// WorkingDirectory=, so `/`, `/tmp` and `/var/tmp` are looked at. A pattern without `%`
    /// also matches `core.PID` (core_uses_pid). Pipes: systemd-coredump's dumps are in the
    /// journal; apport writes /var/crash/*.crash; any other program is only named.
    static let coresBody = """
    # A string sysctl: one read gets it whole (a builtin: no exec).
    pp_core_pattern=; read -r pp_core_pattern </proc/sys/kernel/core_pattern 2>/dev/null
    printf 'pattern=%s\\n' "$pp_core_pattern"
    pp_core_prefix=${pp_core_pattern%%\\%*}
    case $pp_core_pattern in
    '|'*systemd-coredump*) exit 0 ;;
    '|'*apport*) set -- /var/crash/*.crash ;;
    '|'*) exit 0 ;;
    /*) if [ "$pp_core_prefix" = "$pp_core_pattern" ]; then set -- "$pp_core_prefix" "$pp_core_prefix".[0-9]*; else set -- "$pp_core_prefix"*; fi ;;
    *) if [ "$pp_core_prefix" = "$pp_core_pattern" ]; then set -- "/$pp_core_prefix" "/$pp_core_prefix".[0-9]* "/tmp/$pp_core_prefix" "/tmp/$pp_core_prefix".[0-9]* "/var/tmp/$pp_core_prefix" "/var/tmp/$pp_core_prefix".[0-9]*
       else set -- "/$pp_core_prefix"* "/tmp/$pp_core_prefix"* "/var/tmp/$pp_core_prefix"*; fi ;;
    esac
    pp_core_count=0
    for pp_core_file; do
        [ -f "$pp_core_file" ] || continue
        pp_core_count=$((pp_core_count + 1)); [ $pp_core_count -le \(coreFileLimit) ] || break
        stat -c 'file=%Y %s %n' "$pp_core_file" 2>/dev/null
    done
    true
    """

    struct Parsed {
        var errors: [UnitLogErrors] = []
        var dumps: [CrashDump] = []
        var notes: [String] = []
        /// Why the journal was read only in part (not root, or past the entry limit).
        var partial: String?
        /// Why nothing could be read: journalctl failed outright.
        var gap: CaptureGap?
    }

    static func parse(_ output: ScriptOutput) -> Parsed {
        var out = Parsed()
        guard let journal = output[step: journalStep] else { return out }
        // A user outside the adm and systemd-journal groups reads no journal file at all (exit 1):
        // the same every run, so a skip with the remedy, not a failure.
        if journal.stderr.contains("insufficient permissions") {
            out.gap = CaptureGap(step: "", problem: "the journal is not readable without root (not in the adm or systemd-journal group): "
                                     + "run with --sudo", fix: "", skipped: true)
            return out
        }
        if let status = journal.status, status != 0, CaptureGaps.failure(journal, timeout: 0) == nil {
            let why = journal.stderrHeadline.map { ": \($0.prefix(200))" } ?? ""
            out.gap = CaptureGap(step: journalStep.name, problem: "journalctl exited \(status)\(why)",
                                 fix: "check the journal on the host (journalctl -b -p err)")
            return out
        }
        if journal.stderr.contains("No journal files were found") {
            out.gap = CaptureGap(step: "", problem: "journald keeps no journal files (Storage=none?)", fix: "", skipped: true)
            return out
        }
        let parsed = LogsParser.journal(journal.stdout)
        out.errors = parsed.units
        out.dumps = parsed.dumps
        out.notes = parsed.notes
        var partial: [String] = []
        if journal.stderr.contains("not seeing messages from other users") {
            partial.append("not root and not in the adm or systemd-journal group: only the user's own messages were read; run with --sudo")
        }
        if parsed.entries >= entryLimit {
            partial.append("over \(entryLimit) journal messages at priority err or worse this boot: the newest \(entryLimit) were read")
        }
        out.partial = partial.isEmpty ? nil : partial.joined(separator: "; ")
        if let cores = output[step: coresStep] {
            if let problem = cores.problem("logs", "listing core files") { out.notes.append(problem) }
            let listed = LogsParser.cores(cores.stdout)
            out.dumps += listed.dumps
            if let pattern = listed.pattern, pattern.hasPrefix("|"), !pattern.contains("systemd-coredump"), !pattern.contains("apport") {
                let program = pattern.dropFirst().split(separator: " ").first.map(String.init) ?? pattern
                out.notes.append("logs: core dumps are piped to \(LogText.line(program, limit: 120)), which PostPatch does not read")
            }
        }
        return out
    }
}

extension LogsSection {
    /// No journald is a SKIP marker with the reason.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [journalStep], tools: "journalctl", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.logErrors = parsed.errors
            snapshot.crashDumps = parsed.dumps
            return .init(notes: parsed.notes, gap: parsed.gap, partial: parsed.partial)
        }, fuzzTargets: ["Logs"])
}
