import Model

/// Scheduled work: systemd timers (state, `systemctl enable`'s mark, what each starts) and cron
/// jobs (/etc/crontab, /etc/cron.d, users' crontabs, anacrontab, the run-parts folders). One
/// systemctl call; the rest is shell builtins, one awk over the crontabs and one md5sum over the
/// run-parts scripts. Command text crosses the wire only to be digested by the parser: the
/// snapshot keeps a digest and where the job is (docs/sections.md).
enum SchedulesSection {
    // The steps of the section (`schedules.<tool>` in the script and its output).
    static let timersStep = Step(.schedules, "timers")
    static let cronStep = Step(.schedules, "cron")

    static let listTimers = "systemctl list-units --all --type=timer --no-pager --no-legend --plain"

    /// The loaded timers, then the enabled marks, the unit files and the masked ones, all with
    /// builtins (no `systemctl list-unit-files`: PID 1 would work out every unit file's state).
    static let timersBody: String = """
    pp_to \(listTimers); pp_timers_rc=$?
    for pp_f in /etc/systemd/system/*.wants/*.timer; do
        if [ -L "$pp_f" ] || [ -e "$pp_f" ]; then printf 'wants %s\\n' "$pp_f"; fi
    done
    for pp_f in \(SchedulesParser.timerDirectories.map { "\($0)/*.timer" }.joined(separator: " ")); do
        if [ -c "$pp_f" ]; then printf 'masked %s\\n' "$pp_f"; elif [ -e "$pp_f" ]; then printf 'file %s\\n' "$pp_f"; fi
    done
    exit $pp_timers_rc
    """

    static let crontabs = ["/etc/crontab", "/etc/anacrontab", "/etc/cron.d/*", "/var/spool/cron/crontabs/*", "/var/spool/cron/*"]

    /// Crontab-format files through one awk (comments and blank lines dropped, bounded), then the
    /// run-parts scripts run-parts would run (executable files) through one md5sum. A crontab
    /// folder this user cannot read is said, never read as empty.
    static let cronBody: String = """
    set --
    for pp_f in \(crontabs.joined(separator: " ")); do
        if [ -f "$pp_f" ] && [ -r "$pp_f" ]; then set -- "$@" "$pp_f"
        elif [ -f "$pp_f" ]; then printf 'unreadable %s\\n' "$pp_f"; fi
    done
    for pp_d in /var/spool/cron/crontabs /var/spool/cron; do
        if [ -d "$pp_d" ] && ! [ -r "$pp_d" ] ; then printf 'unreadable %s\\n' "$pp_d"; fi
    done
    if [ $# -gt 0 ]; then
        awk -v limit=\(SchedulesParser.cronLineLimit) 'FNR == 1 { print "file\\t" FILENAME }
            /^[ \\t]*(#|$)/ { next }
            { if (++n > limit) { print "cut"; exit } print "line\\t" FNR "\\t" $0 }' "$@"
    fi
    set --
    for pp_f in /etc/cron.hourly/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.monthly/*; do
        if [ -f "$pp_f" ] && [ -x "$pp_f" ]; then set -- "$@" "$pp_f"; fi
    done
    if [ $# -gt 0 ]; then pp_to md5sum "$@"; fi
    """

    static let fragment: String =
        "if [ -d /run/systemd/system ] && pp_has systemctl; then\n"
        + ScriptFraming.step(timersStep, timersBody)
        + "fi\n"
        + "if pp_has awk; then\n"
        + ScriptFraming.step(cronStep, cronBody)
        + "else\n" + ScriptFraming.missing(cronStep, tools: ["awk"]) + "fi\n"

    static func parse(_ output: ScriptOutput) -> (schedules: Schedules?, notes: [String], gap: CaptureGap?, partial: String?) {
        var notes: [String] = []
        var partial: [String] = []
        var timers: [ScheduledTimer] = []
        if let step = output[step: timersStep] {
            if let problem = step.problem("schedules", "systemctl list-units --type=timer") {
                // Without systemctl's answer every timer would read as stopped: the timers are unknown.
                return (nil, notes, CaptureGap(step: timersStep.name, problem: problem.replacingOccurrences(of: "schedules: ", with: ""),
                                               fix: "raise --step-timeout, or check systemd on the host"), nil)
            }
            // What each timer starts: the services section reads the timer unit files for it.
            var starts: [String: String] = [:]
            if let files = output[step: ServicesSection.systemdTimersStep] {
                for (service, timer) in SystemdUnitsParser.timers(files.stdout) { starts[timer] = service }
            }
            let parsed = SchedulesParser.timers(step.stdout, starts: starts)
            timers = parsed.items
            notes += parsed.notes
        }
        var jobs: [CronJob] = []
        if let step = output[step: cronStep] {
            if let problem = step.problem("schedules", "reading the crontabs", ok: [0, 1]) { notes.append(problem) }
            let parsed = SchedulesParser.cron(step.stdout)
            jobs = parsed.items
            notes += parsed.notes
            if parsed.cut { partial.append("more than \(SchedulesParser.cronLineLimit) crontab lines: the rest not read") }
            if !parsed.unreadable.isEmpty {
                partial.append("not readable by this user: \(parsed.unreadable.prefix(5).joined(separator: ", ")) (run with --sudo or as root)")
            }
        } else if output[step: timersStep] == nil {
            return (nil, notes, nil, nil)
        }
        return (Schedules(timers: timers, cron: jobs), notes, nil, partial.isEmpty ? nil : partial.joined(separator: "; "))
    }
}

extension SchedulesSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [cronStep], missing: cronStep, tools: "awk (and systemctl for timers)"),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.schedules = parsed.schedules
            return .init(notes: parsed.notes, gap: parsed.gap, partial: parsed.partial)
        }, fuzzTargets: ["Schedules"])
}
