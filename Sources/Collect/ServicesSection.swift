import Model

/// Services from the init system that actually runs: systemd when it is PID 1
/// (/run/systemd/system exists), else OpenRC, else sysvinit's `service`.
enum ServicesSection {
    /// systemd 246 added `--output=json` to systemctl's tables; older ones (CentOS 7's 219,
    /// RHEL 8's 239) accept the option (it is journal output's) and print the plain table anyway,
    /// which the parser tells from JSON by its first character. So one command line serves both,
    /// with no `systemctl --version` first (an exec less); `--no-legend --plain` leave JSON alone.
    static let fragment: String = """
    if [ -d /run/systemd/system ] && pp_has systemctl; then

    """
    + ScriptFraming.step("services.systemd-units",
                         "pp_to systemctl list-units --all --type=service --no-pager --no-legend --plain --output=json")
    + ScriptFraming.step("services.systemd-unit-files",
                         "pp_to systemctl list-unit-files --type=service --no-pager --no-legend --output=json")
    + ScriptFraming.step("services.systemd-timers", timersBody)
    + "else\n"
    + "if pp_has systemctl; then " + ScriptFraming.note("services", "systemctl is installed but systemd is not PID 1 (no /run/systemd/system)") + "fi\n"
    + "if pp_has rc-status; then\n"
    + ScriptFraming.step("services.openrc", "pp_to rc-status --all")
    + "elif pp_has service; then\n"
    + ScriptFraming.step("services.sysv", "pp_to service --status-all")
    + "else\n"
    + ScriptFraming.missing("services.init", tools: ["systemctl", "rc-status", "service"])
    + "fi\nfi\n"

    /// Unit directories in systemd's order of precedence (the first file of a name wins), then the
    /// drop-in directories that may set `Unit=`.
    static let timerDirectories = ["/etc/systemd/system", "/run/systemd/transient", "/run/systemd/system",
                                   "/run/systemd/generator", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
                                   "/lib/systemd/system"]

    /// Which timer starts which service, from the timer unit files (their `Unit=`, else the timer's
    /// own name) instead of `systemctl list-timers`: a glob in the shell and one grep cost the host
    /// about 2 ms where list-timers cost 9 (docs/bench.md). No `timeout`: local unit files.
    static let timersBody: String = """
    set --
    for pp_f in \(timerDirectories.map { "\($0)/*.timer" }.joined(separator: " ")) \(timerDirectories.map { "\($0)/*.timer.d/*.conf" }.joined(separator: " ")); do
        if [ -e "$pp_f" ]; then set -- "$@" "$pp_f"; fi
    done
    [ $# -gt 0 ] || exit 0
    printf 'file %s\\n' "$@"
    grep -H 'Unit *=' "$@" 2>/dev/null
    true
    """

    static func parse(_ output: ScriptOutput) -> (items: [Service], notes: [String]) {
        var notes: [String] = []
        if let units = output.steps["services.systemd-units"] {
            if let problem = units.problem("services", "systemctl list-units") { notes.append(problem) }
            var (items, unitNotes) = SystemdUnitsParser.units(units.stdout)
            notes += unitNotes
            if let files = output.steps["services.systemd-unit-files"] {
                if let problem = files.problem("services", "systemctl list-unit-files") { notes.append(problem) }
                let (states, fileNotes) = SystemdUnitsParser.unitFiles(files.stdout)
                notes += fileNotes
                for i in items.indices {
                    items[i].enabled = SystemdUnitsParser.enabledState(of: items[i].name, in: states)
                }
            }
            if let timers = output.steps["services.systemd-timers"] {
                if let problem = timers.problem("services", "reading the timer unit files") { notes.append(problem) }
                let started = SystemdUnitsParser.timers(timers.stdout)
                for i in items.indices { items[i].timer = SystemdUnitsParser.timer(starting: items[i].name, in: started) }
            }
            return (items, notes)
        }
        if let step = output.steps["services.openrc"] {
            if let problem = step.problem("services", "rc-status") { notes.append(problem) }
            let (items, more) = InitScriptsParser.openrc(step.stdout)
            return (items, notes + more)
        }
        if let step = output.steps["services.sysv"] {
            // Debian's `service` exits with the last script's status: not a collector failure.
            let (items, more) = InitScriptsParser.sysv(step.stdout + "\n" + step.stderr)
            if step.status == nil { notes.append("services: service --status-all did not finish") }
            return (items, notes + more)
        }
        if output.missing["services.init"] != nil {
            notes.append("services: no systemctl, rc-status or service on the host")
        }
        return ([], notes)
    }
}
