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
enum ScriptFraming {
    static let markerPrefix = "@@PP-"

    /// Environment, temp dir and cleanup, the connection watch, the markers, the `timeout`
    /// wrapper and the effective uid, in that order: the script's first lines.
    static func preamble(nonce: String, stepTimeout: Int, updatesTimeout: Int = ScriptOptions.defaultUpdatesTimeout) -> String {
        environment(nonce: nonce, stepTimeout: stepTimeout, updatesTimeout: updatesTimeout)
            + connectionWatch + markers + timeoutWrapper + effectiveUID
    }

    /// Locale, PATH, umask, the run's nonce and limits, the temp dir and the traps that remove it.
    static func environment(nonce: String, stepTimeout: Int, updatesTimeout: Int) -> String {
        """
        # PostPatch collector: read-only, POSIX sh (dash, busybox ash), leaves nothing behind.
        LC_ALL=C; export LC_ALL
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
        umask 077
        PP_N=\(ShellQuote.quote(nonce))
        PP_S=\(max(1, stepTimeout))
        PP_U=\(max(1, updatesTimeout))
        PP_T=$(mktemp -d "${TMPDIR:-/tmp}/postpatch.XXXXXX" 2>/dev/null) || {
            PP_T="${TMPDIR:-/tmp}/postpatch.$$"; mkdir "$PP_T" 2>/dev/null || PP_T=; }
        pp_clean() { if [ -n "$PP_T" ]; then rm -rf "$PP_T"; fi; }
        trap pp_clean EXIT
        trap 'exit 129' HUP
        trap 'exit 130' INT
        trap 'exit 143' TERM
        # Output going nowhere (PostPatch closed the channel): stop, cleaning up, instead of
        # dying at the write. Steps and the tools they run keep the default SIGPIPE.
        trap 'exit 141' PIPE
        PP_E=/dev/null
        if [ -n "$PP_T" ]; then PP_E=$PP_T/err; fi

        """
    }

    static let connectionWatch = """
        # Connection watch: sshd made the login a session leader; its parent is the sshd serving
        # PostPatch. Once that sshd is gone, the connection is gone: stop at the next marker
        # instead of running on. Builtins only; Linux /proc.
        # Before each step the watch reads that sshd's /proc/PID/statm, all zeros once it has exited
        # (a zombie not yet reaped) and gone once reaped: about 30 bytes, where reading
        # /proc/PID/stat (`read` takes a byte per syscall) at every marker cost 18 ms per capture.
        pp_ps() { read -r pp_st 2>/dev/null </proc/$1/stat || return 1; pp_st=${pp_st##*") "}; set -- $pp_st; pp_pp=$2; pp_sid=$4; }
        PP_SID=; PP_SP=
        if [ -r /proc/$$/stat ] && pp_ps $$ && PP_SID=$pp_sid && pp_ps "$PP_SID"; then PP_SP=$pp_pp; fi
        pp_alive() { [ -z "$PP_SP" ] || { read -r pp_z pp_x </proc/$PP_SP/statm && [ "$pp_z" != 0 ]; } 2>/dev/null; }
        # The watch runs before each step starts (BEGIN), not at the markers that close one.
        pp_m() { [ "$1" != BEGIN ] || pp_alive || exit 129; printf '\\n\(markerPrefix)%s %s\\n' "$PP_N" "$*"; }

        """

    /// The markers (see the type's comment), `pp_has`, and the end of a step.
    static let markers = """
        pp_has() { command -v "$1" >/dev/null 2>&1; }
        # $PP_RC: the last step's exit status, for a fragment that chooses by it.
        pp_end() { PP_RC=$2; pp_m "STDERR $1"; if [ -s "$PP_E" ]; then cat "$PP_E"; fi; pp_m "END $1 $2"; }

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
        PP_TO=
        pp_p=; pp_i=$IFS; IFS=:
        for pp_d in $PATH; do if [ -x "$pp_d/timeout" ]; then pp_p=$pp_d/timeout; break; fi; done
        IFS=$pp_i
        if [ -f "$pp_p" ] && [ ! -L "$pp_p" ] && ! [ "$pp_p" -ef /bin/busybox ]; then PP_TO=timeout
        elif [ -n "$pp_p" ]; then
            if timeout 5 true >/dev/null 2>&1; then PP_TO=timeout
            elif timeout -t 5 true >/dev/null 2>&1; then PP_TO='timeout -t'; fi
        fi
        pp_tt() { pp_s=$1; shift; if [ -n "$PP_TO" ]; then $PP_TO "$pp_s" "$@"; else "$@"; fi; }
        pp_to() { pp_tt "$PP_S" "$@"; }

        """

    static let effectiveUID = """
        # The effective uid, once, from /proc/self/status ("Uid: real effective saved fs") with
        # builtins; `id -u` only where /proc is missing. Steps read $PP_UID.
        PP_UID=
        if [ -r /proc/self/status ]; then
            while read -r pp_k pp_r pp_i pp_x; do if [ "$pp_k" = Uid: ]; then PP_UID=$pp_i; break; fi; done </proc/self/status
        fi
        [ -n "$PP_UID" ] || PP_UID=$(id -u 2>/dev/null)

        """

    /// One step: its body runs in a subshell (an `exit` or a failure stays inside), with stdin
    /// from /dev/null (the script itself may arrive on stdin) and stderr kept apart.
    static func step(_ name: String, _ body: String) -> String {
        let quoted = ShellQuote.quote(name)
        return """
        pp_m BEGIN \(quoted)
        (
        \(body)
        ) </dev/null 2>"$PP_E"
        pp_end \(quoted) $?

        """
    }

    /// The shell line that records "no tool for this step" (the parser turns it into a note).
    static func missing(_ name: String, tools: [String]) -> String {
        "pp_m MISSING \(ShellQuote.quote(name)) \(ShellQuote.words(tools))\n"
    }

    /// The shell line that records "this section was not captured by choice" (it is then unknown, not empty).
    static func skip(_ section: SnapshotSection, _ why: String) -> String {
        "pp_m SKIP \(section.rawValue) \(ShellQuote.quote(why))\n"
    }

    /// A shell line that records a fact about the host for the notes, e.g. why a fallback was used.
    static func note(_ section: String, _ text: String) -> String {
        "pp_m NOTE \(ShellQuote.quote(section)) \(ShellQuote.quote(text))\n"
    }

    static let epilogue = "pp_m DONE\n"
}
