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
            return ScriptFraming.step(stepName(index), "pp_cmd \(wholeSeconds(check.timeout)) \(ShellQuote.quote(check.run)) \(index)")
        }.joined()
    }

    /// Why a command can't be sent to a host (the checks file refuses both; a check built
    /// another way may not have been), nil when it can.
    static func invalid(_ check: CommandCheck) -> String? {
        if check.run.allSatisfy(\.isWhitespace) { return "the command text is empty" }
        if check.run.unicodeScalars.contains("\0") { return "the command text holds a NUL character, which no shell can be given" }
        return nil
    }

    static func stepName(_ index: Int) -> String { "commands.\(index)" }

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
        PP_CK=
        if [ "$PP_TO" = timeout ] && timeout -k 1 5 true >/dev/null 2>&1; then PP_CK='-k \(killAfterSeconds)'; fi
        PP_DG=; PP_DK=
        if pp_has sha256sum; then PP_DG=sha256sum; PP_DK=sha256; elif pp_has cksum; then PP_DG=cksum; PP_DK=cksum; fi
        PP_CAP=
        if pp_has mkfifo && pp_has tee && pp_has dd && pp_has wc; then PP_CAP=1; fi
        pp_cw() {
            pp_i=0
            while kill -0 "$1" 2>/dev/null; do
                if ! pp_alive || { [ "$2" -gt 0 ] && [ "$pp_i" -ge "$2" ] && : >"$3"; }; then
                    kill -TERM "$1" 2>/dev/null; sleep 3; kill -KILL "$1" 2>/dev/null; return 0
                fi
                sleep 1; pp_i=$((pp_i + 1))
            done
        }
        # pp_cr SECS TEXT FLAG OUT: runs TEXT, its stdout and stderr to OUT; returns its status.
        pp_cr() {
            if [ -n "$PP_TO" ]; then
                $PP_TO $PP_CK "$1" /bin/sh -c "$2" </dev/null >"$4" 2>&1 & pp_c=$!; pp_w=0
            else
                /bin/sh -c "$2" </dev/null >"$4" 2>&1 & pp_c=$!; pp_w=$1
            fi
            pp_cw "$pp_c" "$pp_w" "$3" </dev/null >/dev/null 2>&1 &
            pp_k=$!
            wait "$pp_c"; pp_rc=$?
            kill "$pp_k" 2>/dev/null
            return "$pp_rc"
        }
        # pp_cmd SECS TEXT INDEX: one declared command, reported as key=value lines and od hex.
        pp_cmd() {
            pp_d=$PP_T/cmd.$3
            if [ -z "$PP_T" ] || ! mkdir "$pp_d" "$pp_d/w" 2>/dev/null || ! cd "$pp_d/w"; then echo run=none; return 0; fi
            echo "t=$1"; echo "s0=$(date +%s)"; echo "n0=$(date +%s%N)"
            if [ -n "$PP_CAP" ] && mkfifo "$pp_d/o" "$pp_d/p" "$pp_d/n" 2>/dev/null; then
                echo run=captured
                if [ -n "$PP_DK" ]; then $PP_DG <"$pp_d/p" >"$pp_d/sum" & else cat <"$pp_d/p" >/dev/null & fi
                { dd bs=1 count=\(CommandsParser.capturedBytes) of="$pp_d/x" 2>/dev/null; wc -c; } <"$pp_d/n" >"$pp_d/rest" &
                tee "$pp_d/p" "$pp_d/n" <"$pp_d/o" >/dev/null &
                pp_r=$!
                pp_cr "$1" "$2" "$pp_d/to" "$pp_d/o"; pp_rc=$?
                (pp_s=; trap 'kill $pp_s 2>/dev/null; exit 0' TERM; sleep \(drainGraceSeconds) & pp_s=$!; wait $pp_s
                 if kill -0 "$pp_r" 2>/dev/null; then : >"$pp_d/held"; kill -TERM "$pp_r"; fi) </dev/null >/dev/null 2>&1 &
                pp_g=$!
                wait "$pp_r"
                kill -TERM "$pp_g" 2>/dev/null
                wait
            else
                echo run=uncaptured
                pp_cr "$1" "$2" "$pp_d/to" /dev/null; pp_rc=$?
            fi
            echo "s1=$(date +%s)"; echo "n1=$(date +%s%N)"; echo "rc=$pp_rc"
            if [ -f "$pp_d/to" ]; then echo to=1; fi
            if [ -f "$pp_d/held" ]; then echo held=1; fi
            if [ -s "$pp_d/rest" ]; then read -r pp_b <"$pp_d/rest"; echo "rest=$pp_b"; fi
            if [ -s "$pp_d/sum" ]; then read -r pp_h pp_z <"$pp_d/sum"; echo "sum=$PP_DK:$pp_h"; fi
            if [ -f "$pp_d/x" ]; then
                echo "kept=$(wc -c <"$pp_d/x")"
                if pp_has od; then echo hex; od -An -v -tx1 "$pp_d/x"; else echo hex=none; fi
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
