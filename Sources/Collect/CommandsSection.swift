import Model

/// Declared command checks (`commands:` in the checks file), one step each, `commands.<index>`.
///
/// Each runs as `/bin/sh -c TEXT`, the text quoted by ``ShellQuote`` and taken from the checks
/// file only, in an empty scratch folder inside the collector's temp folder (removed with it),
/// with stdin from /dev/null and stdout and stderr together into a FIFO. One `tee` reads that
/// FIFO to its end and feeds `sha256sum` (the digest of the whole output) and a reader that keeps
/// the first ``CommandsParser/capturedBytes`` bytes (`dd bs=1`: never more) and counts the rest
/// (`wc -c`). Every reader drains to the end, so the command never meets a closed pipe: its exit
/// status is its own, whatever it prints. What reaches the script's stdout is only this
/// fragment's own `key=value` lines and the kept bytes as `od` hex, so no output, however
/// hostile, can forge a marker.
///
/// Bounds: `timeout` (GNU: the command's whole process group, TERM, then KILL 5 s later;
/// busybox: the command) at the declared timeout in whole seconds, rounded up. Without
/// `timeout`, a watcher sends TERM then KILL to the command's shell and leaves a flag. The same
/// watcher ends the command when PostPatch's connection is gone (``ScriptFraming``'s `pp_alive`,
/// checked once a second). A process the command left running that still holds its output
/// open is cut off 5 s after the command ended (its output after that is not read; `held=1`).
///
/// Without `sha256sum` the digest is `cksum`'s CRC (`cksum:<crc>`), without either there is no
/// digest (`compare: output` then sees no change); without mkfifo, tee, dd or wc the output is
/// not captured at all (exit status only); without od no excerpt.
enum CommandsSection {
    /// After the command ended, how long its output may stay open before it is cut off.
    static let drainGraceSeconds = 5
    /// GNU timeout's `-k`: TERM first, KILL this long after.
    static let killAfterSeconds = 5

    static func fragment(_ checks: [CommandCheck]) -> String {
        guard !checks.isEmpty else { return "" }
        return helpers + checks.enumerated().map { index, check in
            guard invalid(check) == nil else { return "" }
            return ScriptFraming.step(stepName(index), "pp_cmd \(wholeSeconds(check.timeout)) \(ShellQuote.quote(check.run)) \(index)",
                                      shellcheck: ScriptFraming.checksTextDirective)
        }.joined()
    }

    /// Why a command can't be sent to a host (the checks file refuses both; a check built
    /// another way may not have been), nil when it can.
    static func invalid(_ check: CommandCheck) -> String? {
        if check.run.allSatisfy(\.isWhitespace) { return "the command text is empty" }
        if check.run.unicodeScalars.contains("\0") { return "the command text holds a NUL character, which no shell can be given" }
        return nil
    }

    static func stepName(_ index: Int) -> Step { Step(.commands, "\(index)") }

    /// The timeout as `timeout` and the watcher take it: whole seconds, rounded up, at least 1.
    static func wholeSeconds(_ timeout: Double) -> Int { CheckValidation.wholeSeconds(min(timeout, 86_400)) }

    /// The most time the commands may add to a capture: each one's timeout, the KILL after it,
    /// the drain grace, and a second or two for the watcher and the tools around it.
    static func budgetSeconds(_ checks: [CommandCheck]) -> Int {
        checks.reduce(0) { $0 + wholeSeconds($1.timeout) + killAfterSeconds + drainGraceSeconds + 2 }
    }

    /// Shell functions the steps call, defined once when there is a command.
    static let helpers = """
        # Declared commands. pp_cw PID SECS FLAG watches a command: TERM then KILL when the
        # connection is gone, or (SECS > 0: no `timeout` on the host) after SECS, leaving FLAG.
        PP_KILL_AFTER=
        if [ "$PP_TIMEOUT_CMD" = timeout ] && timeout -k 1 5 true >/dev/null 2>&1; then PP_KILL_AFTER='-k \(killAfterSeconds)'; fi
        PP_DIGEST_TOOL=; PP_DIGEST_KIND=
        if pp_has sha256sum; then PP_DIGEST_TOOL='sha256sum'; PP_DIGEST_KIND='sha256'; elif pp_has cksum; then PP_DIGEST_TOOL='cksum'; PP_DIGEST_KIND='cksum'; fi
        PP_CAPTURE=
        if pp_has mkfifo && pp_has tee && pp_has dd && pp_has wc; then PP_CAPTURE=1; fi
        pp_cw() {
            pp_waited=0
            while kill -0 "$1" 2>/dev/null; do
                if ! pp_alive || { [ "$2" -gt 0 ] && [ "$pp_waited" -ge "$2" ] && : >"$3"; }; then
                    kill -TERM "$1" 2>/dev/null; sleep 3; kill -KILL "$1" 2>/dev/null; return 0
                fi
                sleep 1; pp_waited=$((pp_waited + 1))
            done
        }
        # pp_cr SECS TEXT FLAG OUT: runs TEXT, its stdout and stderr to OUT; returns its status.
        # shellcheck disable=SC2086 # $PP_KILL_AFTER split on purpose: empty, or the option and its seconds
        pp_cr() {
            if [ -n "$PP_TIMEOUT_CMD" ]; then
                $PP_TIMEOUT_CMD $PP_KILL_AFTER "$1" /bin/sh -c "$2" </dev/null >"$4" 2>&1 & pp_command_pid=$!; pp_watch_limit=0
            else
                /bin/sh -c "$2" </dev/null >"$4" 2>&1 & pp_command_pid=$!; pp_watch_limit=$1
            fi
            pp_cw "$pp_command_pid" "$pp_watch_limit" "$3" </dev/null >/dev/null 2>&1 &
            pp_watcher_pid=$!
            wait "$pp_command_pid"; pp_command_rc=$?
            kill "$pp_watcher_pid" 2>/dev/null
            return "$pp_command_rc"
        }
        # pp_cmd SECS TEXT INDEX: one declared command, reported as key=value lines and od hex.
        pp_cmd() {
            pp_dir=$PP_TMP/cmd.$3
            if [ -z "$PP_TMP" ] || ! mkdir "$pp_dir" "$pp_dir/work" 2>/dev/null || ! cd "$pp_dir/work"; then echo run=none; return 0; fi
            echo "t=$1"; echo "s0=$(date +%s)"; echo "n0=$(date +%s%N)"
            if [ -n "$PP_CAPTURE" ] && mkfifo "$pp_dir/output.fifo" "$pp_dir/digest.fifo" "$pp_dir/excerpt.fifo" 2>/dev/null; then
                echo run=captured
                if [ -n "$PP_DIGEST_KIND" ]; then $PP_DIGEST_TOOL <"$pp_dir/digest.fifo" >"$pp_dir/digest" & else cat <"$pp_dir/digest.fifo" >/dev/null & fi
                { dd bs=1 count=\(CommandsParser.capturedBytes) of="$pp_dir/excerpt" 2>/dev/null; wc -c; } <"$pp_dir/excerpt.fifo" >"$pp_dir/bytes-past-excerpt" &
                tee "$pp_dir/digest.fifo" "$pp_dir/excerpt.fifo" <"$pp_dir/output.fifo" >/dev/null &
                pp_tee_pid=$!
                pp_cr "$1" "$2" "$pp_dir/timed-out" "$pp_dir/output.fifo"; pp_cmd_rc=$?
                (pp_sleep_pid=; trap 'kill $pp_sleep_pid 2>/dev/null; exit 0' TERM; sleep \(drainGraceSeconds) & pp_sleep_pid=$!; wait $pp_sleep_pid
                 if kill -0 "$pp_tee_pid" 2>/dev/null; then : >"$pp_dir/held"; kill -TERM "$pp_tee_pid"; fi) </dev/null >/dev/null 2>&1 &
                pp_grace_pid=$!
                wait "$pp_tee_pid"
                kill -TERM "$pp_grace_pid" 2>/dev/null
                wait
            else
                echo run=uncaptured
                pp_cr "$1" "$2" "$pp_dir/timed-out" /dev/null; pp_cmd_rc=$?
            fi
            echo "s1=$(date +%s)"; echo "n1=$(date +%s%N)"; echo "rc=$pp_cmd_rc"
            if [ -f "$pp_dir/timed-out" ]; then echo to=1; fi
            if [ -f "$pp_dir/held" ]; then echo held=1; fi
            if [ -s "$pp_dir/bytes-past-excerpt" ]; then read -r pp_rest <"$pp_dir/bytes-past-excerpt"; echo "rest=$pp_rest"; fi
            if [ -s "$pp_dir/digest" ]; then read -r pp_digest _ <"$pp_dir/digest"; echo "sum=$PP_DIGEST_KIND:$pp_digest"; fi
            if [ -f "$pp_dir/excerpt" ]; then
                echo "kept=$(wc -c <"$pp_dir/excerpt")"
                if pp_has od; then echo hex; od -An -v -tx1 "$pp_dir/excerpt"; else echo hex=none; fi
            fi
            return 0
        }

        """

    /// One result per declared command, in the checks' order, and notes for what the host lacked.
    static func parse(_ output: ScriptOutput, checks: [CommandCheck]) -> (results: [CommandResult], notes: [String]) {
        var notes: [String] = []
        let results = checks.enumerated().map { index, check -> CommandResult in
            let found = output.probeStep(stepName(index), invalid: invalid(check))
            guard let step = found.step, step.status != nil else {
                return CommandsParser.unanswered(check, why: found.error ?? "no result from the host (run cut short)")
            }
            let parsed = CommandsParser.parse(step.stdout, check: check)
            notes += parsed.notes
            return parsed.result
        }
        return (results, Array(Set(notes)).sorted())
    }
}

extension CollectorScript {
    /// Seconds the declared commands may add to one run of the script: the caller's time limit
    /// for the whole capture must grow by this much, or a slow smoke test would fail the capture.
    public static func commandsBudgetSeconds(_ checks: CheckSet) -> Int {
        CommandsSection.budgetSeconds(checks.commands)
    }
}

extension CommandsSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.commands) }, capture: nil,
        parse: { output, context, snapshot in
            let parsed = parse(output, checks: context.checks.commands)
            snapshot.commands = parsed.results
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Commands"])
}
