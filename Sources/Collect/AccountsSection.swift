import Foundation
import Model

/// Who can log in and who can become root. One awk reads /etc/passwd, /etc/group and (root
/// only) /etc/shadow, printing of the shadow file only whether a password is set; the users'
/// authorized keys files (where sshd -T says they are) go through a second awk and are turned into
/// fingerprints by the parser (the key text is never kept); one md5sum over the sudoers files; `sshd -T` for the login settings.
enum AccountsSection {
    static let usersStep = Step(.accounts, "users")
    static let sudoersStep = Step(.accounts, "sudoers")
    static let sshdStep = Step(.accounts, "sshd")
    static let keysStep = Step(.accounts, "keys")

    static let usersBody: String = """
    set -- /etc/passwd /etc/group
    if [ -r /etc/shadow ]; then set -- "$@" /etc/shadow; else echo "noshadow"; fi
    awk -F: -v groups="\(Accounts.privilegedGroups.joined(separator: " "))" -v homes="$PP_TMP/account-homes" '
      BEGIN { n = split(groups, g, " "); for (i = 1; i <= n; i++) want[g[i]] = 1 }
      FILENAME == "/etc/passwd" { if (++u > \(AccountsParser.userLimit)) next
        print "user\\t" $1 "\\t" $3 "\\t" $7; if ($6 != "" && $6 != "/" && $6 != "/nonexistent") print $1 " " $6 > homes; next }
      FILENAME == "/etc/group" { if ($1 in want) print "group\\t" $1 "\\t" $4; next }
      { s = $2; print "shadow\\t" $1 "\\t" (s == "" ? "none" : (s ~ /^[!*]/ ? "locked" : "set")) }' "$@"
    """

    static let sudoersBody: String = """
    if ! [ -r /etc/sudoers ]; then echo "unreadable"; exit 0; fi
    set -- /etc/sudoers
    for pp_f in /etc/sudoers.d/*; do if [ -f "$pp_f" ]; then set -- "$@" "$pp_f"; fi; done
    pp_to md5sum "$@"
    """

    /// `sshd -T` (about 13 ms of host CPU: it loads the host keys). Run in every capture: the
    /// keys step reads its AuthorizedKeysFile, and a verify that skipped it when /etc/ssh had not
    /// changed read the keys from sshd's default place instead, and lost a shared file's keys.
    static let sshdBody: String = """
        for pp_sshd in /usr/sbin/sshd /usr/local/sbin/sshd /sbin/sshd; do
            if [ -x "$pp_sshd" ]; then
                pp_to "$pp_sshd" -T 2>/dev/null >"$PP_TMP/sshd-T"
                awk -v keys="\(Accounts.sshdSettings.joined(separator: " "))" '
                  BEGIN { n = split(keys, k, " "); for (i = 1; i <= n; i++) want[k[i]] = 1 }
                  ($1 in want) { print }' "$PP_TMP/sshd-T"
                exit 0
            fi
        done
        echo "nosshd"
        """


    /// Each user's authorized keys files: sshd's AuthorizedKeysFile patterns (%h, %u, %%; relative
    /// to the home), else its default; a pattern naming neither is one file for every user (`*`).
    static let keysBody: String = """
    pp_patterns=".ssh/authorized_keys .ssh/authorized_keys2"
    if [ -s "$PP_TMP/sshd-T" ]; then
        pp_set=$(awk '$1 == "authorizedkeysfile" { $1 = ""; print; exit }' "$PP_TMP/sshd-T")
        if [ -n "$pp_set" ]; then pp_patterns=$pp_set; fi
    fi
    [ -r "$PP_TMP/account-homes" ] || exit 0
    set --
    awk -v patterns="$pp_patterns" '
      BEGIN { n = split(patterns, p, " ") }
      { for (i = 1; i <= n; i++) { f = p[i]; shared = (f ~ /^\\// && f !~ /%[hu]/)
          gsub(/%h/, $2, f); gsub(/%u/, $1, f); gsub(/%%/, "%", f); if (f !~ /^\\//) f = $2 "/" f
          if (shared) { if (!(f in seen)) { seen[f] = 1; print "* " f } } else print $1 " " f } }' "$PP_TMP/account-homes" >"$PP_TMP/account-keyfiles"
    while read -r pp_user pp_f; do
        if [ -f "$pp_f" ] && [ -r "$pp_f" ]; then printf 'keyfile\t%s\t%s\n' "$pp_user" "$pp_f"; set -- "$@" "$pp_f"
        elif [ -f "$pp_f" ]; then printf 'unreadable\t%s\t%s\n' "$pp_user" "$pp_f"; fi
    done <"$PP_TMP/account-keyfiles"
    if [ $# -gt 0 ]; then
        awk '/^[ \t]*(#|$)/ { next } { if (++n > \(AccountsParser.keyLimit)) exit; print "key\t" FILENAME "\t" $0 }' "$@"
    fi
    """

    static var fragment: String {
        "if pp_has awk && [ -n \"$PP_TMP\" ] && [ -r /etc/passwd ]; then\n"
        + ScriptFraming.step(usersStep, usersBody)
        + ScriptFraming.step(sudoersStep, sudoersBody)
        + ScriptFraming.step(sshdStep, sshdBody)
        + ScriptFraming.step(keysStep, keysBody)
        + "else\n" + ScriptFraming.missing(usersStep, tools: ["awk", "/etc/passwd"]) + "fi\n"
    }

    static func parse(_ output: ScriptOutput) -> (accounts: Accounts?, notes: [String], partial: String?) {
        guard let users = output[step: usersStep] else { return (nil, [], nil) }
        var notes: [String] = []
        var partial: [String] = []
        if let problem = users.problem("accounts", "reading /etc/passwd, /etc/group and authorized_keys") { notes.append(problem) }
        let keys = output[step: keysStep]
        if let keys, let problem = keys.problem("accounts", "reading the authorized keys files") { notes.append(problem) }
        let parsed = AccountsParser.users(users.stdout + "\n" + (keys?.stdout ?? ""))
        notes += parsed.notes
        var accounts = parsed.accounts
        if parsed.noShadow { partial.append("/etc/shadow not readable: whether accounts have a password is unknown") }
        if !parsed.unreadableKeys.isEmpty {
            partial.append("authorized_keys not readable: \(parsed.unreadableKeys.prefix(3).joined(separator: ", "))")
        }
        if let sudoers = output[step: sudoersStep] {
            if sudoers.stdout.hasPrefix("unreadable") {
                partial.append("/etc/sudoers not readable")
            } else if let problem = sudoers.problem("accounts", "md5sum of the sudoers files") {
                notes.append(problem)
            } else {
                accounts.sudoers = AccountsParser.md5sums(sudoers.stdout)
            }
        }
        if let sshd = output[step: sshdStep], !sshd.stdout.hasPrefix("nosshd") {
            let settings = AccountsParser.sshd(sshd.stdout)
            if settings.isEmpty {
                partial.append("sshd -T said nothing (not root, or sshd's configuration is invalid)")
            } else {
                accounts.sshd = settings
            }
        }
        if partial.isEmpty == false { partial.append("run with --sudo or as root") }
        return (accounts, notes, partial.isEmpty ? nil : partial.joined(separator: "; "))
    }
}

extension AccountsSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [usersStep], missing: usersStep, tools: "awk and /etc/passwd"),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.accounts = parsed.accounts
            return .init(notes: parsed.notes, partial: parsed.partial)
        }, fuzzTargets: ["Accounts"])
}
