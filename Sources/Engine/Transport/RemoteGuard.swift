import Collect

/// Wraps a command run over SSH so that it ends when PostPatch's connection ends.
///
/// Without a terminal, sshd does not signal a command whose channel or connection went away:
/// a hung `apt-get` or collector would run on after a timeout or a Ctrl-C. The wrapper starts
/// a small watchdog beside the command. While the command runs, the watchdog checks once a
/// second, with the collector's own connection watch (``ScriptFraming/connectionWatchLine``:
/// the shell's `read` on /proc, no process started), that the sshd serving this connection,
/// the login's parent, is still there. (Not the collector's session-leader lookup: under
/// Dropbear the command is not a session leader and that lookup finds a process that outlives
/// the connection, as RemoteCommandEndTests showed; here the parent is known, the wrapper
/// runs before sudo.)
/// When that sshd exits (even while it waits as a zombie), the watchdog sends
/// TERM to the command's process group, then KILL
/// three seconds later. When the command ends first (gone, or a zombie waiting for sshd), the
/// watchdog leaves quietly. The command itself is exec'ed, so its exit status or exit
/// signal reaches us unchanged, and its stdin is untouched (`sh -s` scripts still read it).
///
/// Works with any login shell that understands `exec` and single quotes (sh, bash, zsh, csh):
/// the watchdog is one line without `!`. On hosts without /proc the watchdog finds nothing to
/// watch and leaves at once.
enum RemoteGuard {
    static let watchdog = ScriptFraming.connectionWatchLine + "; PP_SSHD_PID=$PPID; "
        + "(while pp_stat $$; do case $pp_stat_state in Z) exit 0;; esac; "
        + "pp_alive || { trap \"\" TERM; kill -TERM 0; sleep 3; kill -KILL 0; exit 0; }; sleep 1; done)"
        + " </dev/null >/dev/null 2>&1 & exec /bin/sh -c \"$1\""

    /// The command line to send: `command` runs under /bin/sh exactly as before.
    static func wrap(_ command: String) -> String {
        "exec /bin/sh -c \(ShellQuote.quote(watchdog)) postpatch-guard \(ShellQuote.quote(command))"
    }
}
