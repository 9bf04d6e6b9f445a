import Model

/// The shell scaffolding around the facts' fragments: environment, temp dir and cleanup,
/// the `timeout` wrapper, and the section markers.
///
/// Output protocol (all on the script's stdout): every marker is the line
/// `@@PP-<nonce> KIND NAME [STATUS]` preceded by a newline the script adds itself, so a
/// step's output that lacks a final newline is still recovered byte for byte.
/// `BEGIN name` is followed by the step's stdout, `STDERR name` by its stderr (kept in a
/// temp file while the step runs), `END name status` closes it; `MISSING name tool...` says
/// no tool for the step exists; `DONE` ends the run. The nonce is random per run, so nothing
/// a host prints can forge a boundary.
public enum ScriptFraming {
    static let markerPrefix = "@@PP-"

    /// Environment, temp dir and cleanup, the connection watch, the markers, the `timeout`
    /// wrapper and the effective uid, in that order: the script's first lines. (The updates
    /// timeout is set by the updates step, the one that reads it.)
    static func preamble(nonce: String, stepTimeout: Int) -> String {
        environment(nonce: nonce, stepTimeout: stepTimeout)
            + connectionWatch + markers + timeoutWrapper + effectiveUID
    }

    /// Locale, PATH, umask, the run's nonce and limits, the temp dir and the traps that remove it.
    static func environment(nonce: String, stepTimeout: Int) -> String {
        """
        # PostPatch collector: read-only, POSIX sh (dash, busybox ash), leaves nothing behind.
        LC_ALL=C; export LC_ALL
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
        umask 077
        PP_NONCE=\(ShellQuote.quote(nonce))
        PP_STEP_TIMEOUT=\(max(1, stepTimeout))
        # The traps come before the temp dir: a signal while mktemp runs waits for the assignment,
        # so the dir is removed (set after it, a TERM in between left the dir behind).
        PP_TMP=
        pp_clean() { if [ -n "$PP_TMP" ]; then rm -rf "$PP_TMP"; fi; }
        trap pp_clean EXIT
        trap 'exit 129' HUP
        trap 'exit 130' INT
        trap 'exit 143' TERM
        # Output going nowhere (PostPatch closed the channel): stop, cleaning up, instead of
        # dying at the write. Steps and the tools they run keep the default SIGPIPE.
        trap 'exit 141' PIPE
        PP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/postpatch.XXXXXX" 2>/dev/null) || {
            PP_TMP=; pp_tmp_fallback="${TMPDIR:-/tmp}/postpatch.$$"
            if mkdir "$pp_tmp_fallback" 2>/dev/null; then PP_TMP=$pp_tmp_fallback; fi; }
        PP_STEP_STDERR=/dev/null
        if [ -n "$PP_TMP" ]; then PP_STEP_STDERR=$PP_TMP/step-stderr; fi

        """
    }

    static let connectionWatch = """
        # Connection watch: sshd made the login a session leader; its parent is the sshd serving
        # PostPatch. Once that sshd is gone, the connection is gone: stop at the next marker
        # instead of running on. Builtins only; Linux /proc.
        # Before each step the watch reads that sshd's /proc/PID/statm, all zeros once it has exited
        # (a zombie not yet reaped) and gone once reaped: about 30 bytes, where reading
        # /proc/PID/stat (`read` takes a byte per syscall) at every marker cost 18 ms per capture.

        """ + connectionWatchFunctions + """
        # The watch runs before each step starts (BEGIN), not at the markers that close one.
        pp_m() { [ "$1" != BEGIN ] || pp_alive || exit 129; printf '\\n\(markerPrefix)%s %s\\n' "$PP_NONCE" "$*"; }

        """

    /// The one connection watch, for the collector's preamble and for RemoteGuard's watchdog
    /// around every other remote command: `pp_stat PID` reads a process's state, parent and
    /// session from /proc/PID/stat; `pp_alive` is false once `PP_SSHD_PID`, the sshd serving
    /// the connection, is gone (true while it is unknown: no /proc). Who that sshd is, each
    /// caller says: the collector finds it (``findSSHD``), RemoteGuard's watchdog is its child.
    /// No `!` and no line break: RemoteGuard's copy passes through the login shell (csh too) first.
    static let connectionWatchCode = [
        #"pp_stat() { read -r pp_stat_line 2>/dev/null <"/proc/$1/stat" || return 1; set -- ${pp_stat_line##*") "}; pp_stat_state=$1; pp_stat_ppid=$2; pp_stat_sid=$4; }"#,
        #"pp_alive() { [ -z "$PP_SSHD_PID" ] || { read -r pp_sshd_size _ <"/proc/$PP_SSHD_PID/statm" && [ "$pp_sshd_size" -gt 0 ]; } 2>/dev/null; }"#,
    ]

    /// The collector runs under sudo at times, so its parent need not be sshd: OpenSSH made the
    /// login a session leader, and the session leader's parent is the sshd.
    static let findSSHD = """
        PP_LOGIN_SID=; PP_SSHD_PID=
        if [ -r /proc/$$/stat ] && pp_stat $$ && PP_LOGIN_SID=$pp_stat_sid && pp_stat "$PP_LOGIN_SID"; then PP_SSHD_PID=$pp_stat_ppid; fi

        """

    static let connectionWatchFunctions = "# shellcheck disable=SC2086,SC2034 # split on purpose: the fields of /proc/PID/stat "
        + "after the command name (numbers and a state letter); the state is for RemoteGuard's watchdog\n"
        + connectionWatchCode.joined(separator: "\n") + "\n" + findSSHD

    /// `pp_stat` and `pp_alive` on one line, for a command line a login shell reads before /bin/sh does.
    public static let connectionWatchLine = connectionWatchCode.joined(separator: "; ")

    /// The markers (see the type's comment), `pp_has`, and the end of a step.
    static let markers = """
        pp_has() { command -v "$1" >/dev/null 2>&1; }
        # $PP_STEP_STATUS: the last step's exit status, for a fragment that chooses by it.
        pp_end() { PP_STEP_STATUS=$2; pp_m "STDERR $1"; if [ -s "$PP_STEP_STDERR" ]; then cat "$PP_STEP_STDERR"; fi; pp_m "END $1 $2"; }

        """

    static let timeoutWrapper = """
        # pp_to bounds the commands that wait on something outside the kernel: a daemon (systemctl,
        # podman, docker, rc-status, service), disks and network filesystems (df, dpkg-query,
        # journalctl, rpm), the network (getent, dig, curl). Reads of /proc and the kernel's
        # netlink dumps (ss, ip, nft) run bare: they wait on nothing timeout could end (a task
        # blocked on a kernel lock sleeps uninterruptibly, deaf to signals), their length is
        # bounded by the kernel's tables, and each `timeout` costs the host an exec (docs/bench.md).
        # The whole capture is bounded by PostPatch's command timeout.
        # GNU and current busybox take `timeout SECS cmd`; busybox before 1.30 wanted `timeout -t SECS`.
        # A plain file that is not busybox (coreutils) is taken at its word; links (busybox
        # applets) are tried. Found along PATH with builtins: each exec costs the host ~1.5 ms.
        PP_TIMEOUT_CMD=
        pp_timeout_path=; pp_ifs=$IFS; IFS=:
        for pp_path_dir in $PATH; do if [ -x "$pp_path_dir/timeout" ]; then pp_timeout_path=$pp_path_dir/timeout; break; fi; done
        IFS=$pp_ifs
        # shellcheck disable=SC3013 # -ef is not POSIX, but dash, busybox ash and bash (the shells the script runs under) all have it
        if [ -f "$pp_timeout_path" ] && [ ! -L "$pp_timeout_path" ] && ! [ "$pp_timeout_path" -ef /bin/busybox ]; then PP_TIMEOUT_CMD=timeout
        elif [ -n "$pp_timeout_path" ]; then
            if timeout 5 true >/dev/null 2>&1; then PP_TIMEOUT_CMD=timeout
            elif timeout -t 5 true >/dev/null 2>&1; then PP_TIMEOUT_CMD='timeout -t'; fi
        fi
        pp_tt() { pp_limit=$1; shift; if [ -n "$PP_TIMEOUT_CMD" ]; then $PP_TIMEOUT_CMD "$pp_limit" "$@"; else "$@"; fi; }
        pp_to() { pp_tt "$PP_STEP_TIMEOUT" "$@"; }

        """

    static let effectiveUID = """
        # The effective uid, once, from /proc/self/status ("Uid: real effective saved fs") with
        # builtins; `id -u` only where /proc is missing. Steps read $PP_UID.
        PP_UID=
        if [ -r /proc/self/status ]; then
            while read -r pp_status_key _ pp_euid _; do if [ "$pp_status_key" = Uid: ]; then PP_UID=$pp_euid; break; fi; done </proc/self/status
        fi
        [ -n "$PP_UID" ] || PP_UID=$(id -u 2>/dev/null)

        """

    /// One step: its body runs in a subshell (an `exit` or a failure stays inside), with stdin
    /// from /dev/null (the script itself may arrive on stdin) and stderr kept apart.
    /// `shellcheck`: a directive for the whole body with its reason (`disable=SCxxxx # why`).
    static func step(_ step: Step, _ body: String, shellcheck: String? = nil) -> String {
        let quoted = ShellQuote.quote(step.name)
        return """
        pp_m BEGIN \(quoted)
        \(shellcheck.map { "# shellcheck \($0)\n" } ?? "")(
        \(body)
        ) </dev/null 2>"$PP_STEP_STDERR"
        pp_end \(quoted) $?

        """
    }

    /// The shell line that records "no tool for this step" (the parser turns it into a note).
    static func missing(_ step: Step, tools: [String]) -> String {
        "pp_m MISSING \(ShellQuote.quote(step.name)) \(ShellQuote.words(tools))\n"
    }

    /// The shell line that records "this section was not captured by choice" (it is then unknown, not empty).
    static func skip(_ section: SnapshotSection, _ why: String) -> String {
        skip(section, shellWord: ShellQuote.quote(why))
    }

    /// The same, the reason a shell word the caller built: double-quoted text that expands a variable.
    static func skip(_ section: SnapshotSection, shellWord why: String) -> String {
        "pp_m SKIP \(section.rawValue) \(why)\n"
    }

    /// The directive for a step that passes text from the checks file (names, URLs, commands):
    /// single-quoted by ``ShellQuote``, so a `$` or a backquote in it stays as written.
    static let checksTextDirective = "disable=SC2016 # text from the checks file, single-quoted on purpose: nothing in it expands here"

    /// A shell line that records a fact about the host for the notes, e.g. why a fallback was used.
    static func note(_ section: String, _ text: String) -> String {
        "pp_m NOTE \(ShellQuote.quote(section)) \(ShellQuote.quote(text))\n"
    }

    static let epilogue = "pp_m DONE\n"

    /// The bytes the script prints last (see ``epilogue``): their absence means the run was cut short.
    public static func doneMarker(nonce: String) -> [UInt8] { Array("\n\(markerPrefix)\(nonce) DONE".utf8) }
}
