import Model

/// Services from the init system that actually runs: systemd when it is PID 1
/// (/run/systemd/system exists), else OpenRC, else sysvinit's `service`.
enum ServicesSection {
    // The steps of the section (`services.<tool>` in the script and its output).
    static let initStep = Step(.services, "init")
    static let openrcStep = Step(.services, "openrc")
    static let systemdTimersStep = Step(.services, "systemd-timers")
    static let systemdUnitFilesStep = Step(.services, "systemd-unit-files")
    static let systemdUnitsStep = Step(.services, "systemd-units")
    static let sysvStep = Step(.services, "sysv")

    /// systemd 246 added `--output=json` to systemctl's tables; older ones (CentOS 7's 219,
    /// RHEL 8's 239) accept the option (it is journal output's) and print the plain table anyway,
    /// which the parser tells from JSON by its first character. So one command line serves both,
    /// with no `systemctl --version` first (an exec less); `--no-legend --plain` leave JSON alone.
    static let fragment: String = """
    if [ -d /run/systemd/system ] && pp_has systemctl; then

    """
    + ScriptFraming.step(systemdUnitsStep, unitsBody)
    + ScriptFraming.step(systemdUnitFilesStep, unitFilesBody)
    + ScriptFraming.step(systemdTimersStep, timersBody)
    + "else\n"
    + "if pp_has systemctl; then " + ScriptFraming.note("services", "systemctl is installed but systemd is not PID 1 (no /run/systemd/system)") + "fi\n"
    + "if pp_has rc-status; then\n"
    + ScriptFraming.step(openrcStep, "pp_to rc-status --all")
    + "elif pp_has service; then\n"
    + ScriptFraming.step(sysvStep, "pp_to service --status-all")
    + "else\n"
    + ScriptFraming.missing(initStep, tools: ["systemctl", "rc-status", "service"])
    + "fi\nfi\n"

    /// systemctl runs under `timeout` (`pp_to`): sd-bus bounds a method call
    /// ($SYSTEMD_BUS_TIMEOUT, 25 s), but not the authentication before it, which waits 90 s on a
    /// PID 1 that accepts the connection and never answers (WedgedSystemdTests).
    static let listUnits = "systemctl list-units --all --type=service --no-pager --no-legend --plain --output=json"
    static let listUnitFiles = "systemctl list-unit-files --type=service --no-pager --no-legend --output=json"

    /// The loaded services; one awk passes systemctl's output through and writes the services'
    /// names (and their templates' for instances) to the temp dir for the unit-files step: from
    /// the JSON's `"unit":"NAME"` (`\\\\` unescaped) or the table's first word (after systemd's
    /// ● or * marker). Unit names hold no blanks or glob characters.
    static let unitsBody: String = """
    if [ -z "$PP_TMP" ]; then pp_to \(listUnits); exit $?; fi
    pp_to \(listUnits) >"$PP_TMP/systemctl-units"; pp_units_rc=$?
    awk -v names="$PP_TMP/service-names" '{ print }
        substr($0, 1, 1) == "[" { s = $0; while (match(s, /"unit":"[^"]*"/)) { u[++c] = substr(s, RSTART + 8, RLENGTH - 9); s = substr(s, RSTART + RLENGTH) }; next }
        { s = $0; sub(/^[^A-Za-z0-9]+/, "", s); split(s, w, " "); if (w[1] != "") u[++c] = w[1] }
        END { for (i = 1; i <= c; i++) { n = u[i]; gsub(/\\\\\\\\/, "\\\\", n); if (n !~ /\\.service$/ || (n in seen)) continue; seen[n] = 1; print n > names
            if (index(n, "@") > 1) { t = substr(n, 1, index(n, "@")) ".service"; if (!(t in seen)) { seen[t] = 1; print t > names } } } }' "$PP_TMP/systemctl-units"
    exit $pp_units_rc
    """

    /// The enabled state of the loaded services only: their names go to `list-unit-files` as
    /// patterns, which PID 1 matches before it works out each file's state. Unasked, PID 1 works
    /// out the state of every unit file on the host: on the lab host that cost PID 1 about 600 ms
    /// of CPU per capture, unseen in the script's own figures (docs/bench.md); asked for the
    /// loaded services, about 125 ms (8 ms a call and 2 ms a service there). The names are read with builtins; `set -f` keeps the
    /// shell from globbing them.
    static let unitFilesBody: String = """
    if [ -z "$PP_TMP" ]; then pp_to \(listUnitFiles); exit $?; fi
    [ -s "$PP_TMP/service-names" ] || exit 0
    set -f
    set --
    while IFS= read -r pp_service_name; do set -- "$@" "$pp_service_name"; done <"$PP_TMP/service-names"
    pp_to \(listUnitFiles) "$@"
    """

    /// Unit directories in systemd's order of precedence (the first file of a name wins), then the
    /// drop-in directories that may set `Unit=`.
    static let timerDirectories = ["/etc/systemd/system", "/run/systemd/transient", "/run/systemd/system",
                                   "/run/systemd/generator", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
                                   "/lib/systemd/system"]

    /// Which timer starts which service, from the timer unit files (their `Unit=`, else the timer's
    /// own name) instead of `systemctl list-timers`: a glob in the shell and one awk cost the host
    /// about 2 ms where list-timers cost 9 (docs/bench.md). No `timeout`: local unit files. awk
    /// prints grep -H's `PATH:LINE`, reading with `getline` so that a file gone since the glob
    /// fails only its own read (grep, with its PCRE library, cost 1.4 ms more to start).
    static let timersBody: String = """
    set --
    for pp_timer_file in \(timerDirectories.map { "\($0)/*.timer" }.joined(separator: " ")) \(timerDirectories.map { "\($0)/*.timer.d/*.conf" }.joined(separator: " ")); do
        if [ -e "$pp_timer_file" ]; then set -- "$@" "$pp_timer_file"; fi
    done
    [ $# -gt 0 ] || exit 0
    printf 'file %s\\n' "$@"
    awk 'BEGIN { for (i = 1; i < ARGC; i++) { f = ARGV[i]; while ((getline l < f) > 0) if (l ~ /Unit *=/) print f ":" l; close(f) }; exit }' "$@"
    true
    """

    static func parse(_ output: ScriptOutput) -> (items: [Service], notes: [String]) {
        var notes: [String] = []
        if let units = output[step: systemdUnitsStep] {
            if let problem = units.problem("services", "systemctl list-units") { notes.append(problem) }
            var (items, unitNotes) = SystemdUnitsParser.units(units.stdout)
            notes += unitNotes
            if let files = output[step: systemdUnitFilesStep] {
                if let problem = files.problem("services", "systemctl list-unit-files") { notes.append(problem) }
                let (states, fileNotes) = SystemdUnitsParser.unitFiles(files.stdout)
                notes += fileNotes
                for i in items.indices {
                    items[i].enabled = SystemdUnitsParser.enabledState(of: items[i].name, in: states)
                }
            }
            if let timers = output[step: systemdTimersStep] {
                if let problem = timers.problem("services", "reading the timer unit files") { notes.append(problem) }
                let started = SystemdUnitsParser.timers(timers.stdout)
                for i in items.indices { items[i].timer = SystemdUnitsParser.timer(starting: items[i].name, in: started) }
            }
            return (items, notes)
        }
        if let step = output[step: openrcStep] {
            if let problem = step.problem("services", "rc-status") { notes.append(problem) }
            let (items, more) = InitScriptsParser.openrc(step.stdout)
            return (items, notes + more)
        }
        if let step = output[step: sysvStep] {
            // Debian's `service` exits with the last script's status: not a collector failure.
            let (items, more) = InitScriptsParser.sysv(step.stdout + "\n" + step.stderr)
            if step.status == nil { notes.append("services: service --status-all did not finish") }
            return (items, notes + more)
        }
        if output.missing[initStep.name] != nil {
            notes.append("services: no systemctl, rc-status or service on the host")
        }
        return ([], notes)
    }
}

extension ServicesSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [systemdUnitsStep, openrcStep, sysvStep], missing: initStep,
                             tools: "systemctl, rc-status or service", listsAll: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.services = parsed.items
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["SystemdUnits", "InitScripts"])
}
