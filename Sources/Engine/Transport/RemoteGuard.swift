import Collect

/// Wraps a command run over SSH so that it ends when PostPatch's connection ends.
///
/// Without a terminal, sshd does not signal a command whose channel or connection went away:
/// a hung `apt-get` or collector would run on after a timeout or a Ctrl-C. The wrapper starts
/// a small watchdog beside the command. While the command runs, the watchdog checks once a
/// second (with the shell's own `read` on /proc/PID/stat, no process started) that the
/// command's parent is still the sshd process serving this connection. When that sshd exits,
/// the command is re-parented at once (even while the dead sshd waits as a zombie), and the
/// watchdog sends TERM to the command's process group (sshd made the command a session
/// leader), then KILL three seconds later. When the command ends first (gone, or a zombie
/// waiting for sshd), the watchdog leaves quietly. The command itself is exec'ed, so its exit status or exit
/// signal reaches us unchanged, and its stdin is untouched (`sh -s` scripts still read it).
///
/// Works with any login shell that understands `exec` and single quotes (sh, bash, zsh, csh).
/// On hosts without /proc the watchdog finds nothing to watch and leaves at once.
enum RemoteGuard {
    static let watchdog = "p=$PPID c=$$; "
        + "(while read -r s </proc/$c/stat; do s=${s##*\") \"}; set -- $s; [ \"$1\" = Z ] && exit 0; "
        + "[ \"$2\" = \"$p\" ] || { trap \"\" TERM; kill -TERM 0; sleep 3; kill -KILL 0; exit 0; }; sleep 1; done)"
        + " </dev/null >/dev/null 2>&1 & exec /bin/sh -c \"$1\""

    /// The command line to send: `command` runs under /bin/sh exactly as before.
    static func wrap(_ command: String) -> String {
        "exec /bin/sh -c \(ShellQuote.quote(watchdog)) postpatch-guard \(ShellQuote.quote(command))"
    }
}
