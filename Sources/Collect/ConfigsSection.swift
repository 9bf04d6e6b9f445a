import Model

/// Configuration files the package managers track, and what they set aside beside them.
///
/// dpkg hosts: one awk reads the status file (every `Conffiles:` line with its package; the
/// lines dpkg marks `obsolete` or `remove-on-upgrade` are left out: the package no longer ships
/// them, dpkg keeps their md5 only to decide whether to remove them) and ucf's hashfile with its
/// registry (the owning package), printing one tab-separated line each and the paths, one a line,
/// to a list in the collector's temp folder. rpm hosts: one `rpm -qa` query lists the `%config`
/// files and their packages, and `rpm -Va -c` (digests only: no mtime, size, owner, mode, deps
/// or scripts) names the ones that differ from the package. Then one `md5sum` over the whole
/// list (`xargs -0`): md5 is what dpkg and ucf record, so a digest and "modified" come from one
/// read of each file. Last, one `find /etc -xdev` for the leftovers, at most
/// ``ConfigsParser/leftoverLimit`` of them.
///
/// Bounds: the awk reads two local files (no `timeout`); rpm, md5sum (a hung NFS-mounted /etc)
/// and find run under the step timeout; the list is cut at ``ConfigsParser/listLimit`` entries.
enum ConfigsSection {
    // The steps of the section (`configs.<tool>` in the script and its output).
    static let conffilesStep = Step(.configs, "conffiles")
    static let rpmStep = Step(.configs, "rpm")
    static let rpmVerifyStep = Step(.configs, "rpmverify")
    static let md5Step = Step(.configs, "md5")
    static let leftoversStep = Step(.configs, "leftovers")
    static let managerStep = Step(.configs, "manager")

    /// The list of paths the md5 step reads, in the collector's temp folder.
    static let listFile = "\"$PP_TMP/configs.paths\""

    /// dpkg's conffiles (`dpkg<TAB>package<TAB>md5<TAB>flag<TAB>path`) and ucf's files
    /// (`ucf<TAB>package<TAB>md5<TAB><TAB>path`); the paths to digest go to the list.
    static let conffilesBody: String = """
    pp_ucf_hashes=/dev/null; pp_ucf_registry=/dev/null
    if [ -r /var/lib/ucf/hashfile ]; then pp_ucf_hashes=/var/lib/ucf/hashfile; fi
    if [ -r /var/lib/ucf/registry ]; then pp_ucf_registry=/var/lib/ucf/registry; fi
    awk -v list=\(listFile) -v limit=\(ConfigsParser.listLimit) -v registry="$pp_ucf_registry" '
      FILENAME == "/var/lib/dpkg/status" {
        if ($0 == "") { p = ""; c = 0; next }
        if ($0 ~ /^Package: /) { p = substr($0, 10); c = 0; next }
        if ($0 ~ /^Conffiles:/) { c = 1; next }
        if (c && substr($0, 1, 1) == " ") {
          l = substr($0, 2); f = ""
          if (l ~ / (obsolete|remove-on-upgrade)$/) { f = l; sub(/.* /, "", f); sub(/ [^ ]*$/, "", l) }
          m = l; sub(/.* /, "", m); sub(/ [^ ]*$/, "", l)
          if (f != "") { print "dpkg\\t" p "\\t" m "\\t" f "\\t" l; next }
          if (++n > limit) { print "cut"; exit }
          print "dpkg\\t" p "\\t" m "\\t\\t" l; print l > list
          next
        }
        c = 0; next
      }
      FILENAME == registry { r = $0; sub(/^[^ \\t]+[ \\t]+/, "", r); owner[r] = $1; next }
      { h = $0; sub(/^[^ ]+  */, "", h); if (h == "" || (h in seen)) next; seen[h] = 1
        if (++n > limit) { print "cut"; exit }
        print "ucf\\t" owner[h] "\\t" $1 "\\t\\t" h; print h > list }
    ' /var/lib/dpkg/status "$pp_ucf_registry" "$pp_ucf_hashes"
    """

    /// rpm's `%config` files, `rpm<TAB>package<TAB><TAB><TAB>path`, the paths to the list too.
    static let rpmBody: String = """
    # shellcheck disable=SC2016 # %{=NAME} and the like are rpm's query tags, not the shell's
    { pp_to rpm -qa --qf '[%{FILEFLAGS:fflags}\\t%{=NAME}\\t%{FILENAMES}\\n]'; echo "rc=$?"; } | awk -F '\\t' -v list=\(listFile) -v limit=\(ConfigsParser.listLimit) '
      /^rc=[0-9]+$/ { print; next }
      $1 ~ /c/ && !($3 in seen) { seen[$3] = 1; if (++n > limit) { print "cut"; exit } print "rpm\\t" $2 "\\t\\t\\t" $3; print $3 > list }'
    """

    static let fragment: String =
        "if [ -r /var/lib/dpkg/status ] && pp_has awk && [ -n \"$PP_TMP\" ]; then\n"
        + ScriptFraming.step(conffilesStep, conffilesBody)
        + "elif pp_has rpm && pp_has awk && [ -n \"$PP_TMP\" ]; then\n"
        + ScriptFraming.step(rpmStep, rpmBody)
        + ScriptFraming.step(rpmVerifyStep,
                             "pp_to rpm -Va -c --nodeps --noscripts --nomtime --nosize --nouser --nogroup --nomode --nordev "
                                 + "--nolinkto --nocaps")
        + "else\n" + ScriptFraming.missing(managerStep, tools: ["dpkg", "rpm"]) + "fi\n"
        + "if [ -n \"$PP_TMP\" ] && [ -s \(listFile) ]; then\n"
        + ScriptFraming.step(md5Step, "tr '\\n' '\\0' <\(listFile) | pp_to xargs -0 md5sum")
        + "fi\n"
        + ScriptFraming.step(leftoversStep, "pp_to find /etc -xdev \\( "
                                 + leftoverGlobs.map { "-name '\($0)'" }.joined(separator: " -o ")
                                 + " \\) -print | head -n \(ConfigsParser.leftoverLimit + 1)")

    /// Three globs that cover every suffix of ``ConfigLeftover/suffixes`` (the parser keeps the
    /// exact ones): find tests each name against each glob, and ten globs cost the walk of /etc
    /// a third more (7 ms against 11 on the realistic rootfs).
    static let leftoverGlobs = ["*.dpkg-*", "*.ucf-*", "*.rpm[nos]*"]

    static func parse(_ output: ScriptOutput) -> (files: [TrackedConfigFile], leftovers: [ConfigLeftover], notes: [String],
                                                   gap: CaptureGap?, partial: String?) {
        var notes: [String] = []
        var partial: [String] = []
        var listing = ConfigsParser.Listing()
        var verified: [String: TrackedConfigFile.State]?
        if let step = output[step: conffilesStep] {
            if let problem = step.problem("configs", "reading dpkg's status file") { notes.append(problem) }
            listing = ConfigsParser.listing(step.stdout)
        } else if let step = output[step: rpmStep] {
            if let problem = step.problem("configs", "rpm -qa") { notes.append(problem) }
            listing = ConfigsParser.listing(step.stdout)
            if let verify = output[step: rpmVerifyStep] {
                // rpm -V exits with the number of packages that failed verification: that is its
                // answer, not a failure. Cut short, killed or not run: which files differ is unknown.
                if CaptureGaps.failure(verify, timeout: 0) != nil {
                    notes.append("configs: rpm -Va -c did not finish (status \(verify.status.map(String.init) ?? "none")): "
                                     + "which %config files were modified is unknown")
                } else {
                    verified = ConfigsParser.rpmVerify(verify.stdout)
                }
            }
        } else {
            return ([], [], [], nil, nil)
        }
        notes += listing.notes
        if listing.cut { partial.append("more than \(ConfigsParser.listLimit) configuration files: the rest not listed") }
        var digests = ConfigsParser.Digests()
        if !listing.entries.isEmpty {
            // xargs exits 123 when md5sum failed for some file (a deleted conffile): those have no
            // digest and read as missing. Cut short, killed, or no xargs or md5sum (126, 127):
            // every file would read as missing, so the section is unknown instead.
            guard let md5 = output[step: md5Step], let status = md5.status, ![124, 126, 127, 137, 143].contains(status) else {
                let problem: String
                switch output[step: md5Step]?.status {
                case nil: problem = output[step: md5Step] == nil ? "did not run" : "did not finish (run cut short)"
                case 126?, 127?: problem = "could not run (no xargs or md5sum on the host?)"
                default: problem = "timed out or was killed"
                }
                return ([], [], notes, CaptureGap(step: md5Step.name, problem: "md5sum of the configuration files \(problem)",
                                                  fix: "raise --step-timeout, or check the host's load and tools"), nil)
            }
            digests = ConfigsParser.md5sums(md5.stdout, stderr: md5.stderr)
            notes += digests.notes
        }
        let files = ConfigsParser.merge(listing.entries, digests: digests, verified: verified)
        var leftovers: [ConfigLeftover] = []
        if let step = output[step: leftoversStep] {
            // find exits 1 when a folder could not be read: what it listed is still true.
            if let problem = step.problem("configs", "find /etc", ok: [0, 1]) {
                partial.append("leftovers under /etc not listed in full (\(problem))")
            }
            let parsed = ConfigsParser.leftovers(step.stdout)
            leftovers = parsed.items
            if parsed.cut { partial.append("more than \(ConfigsParser.leftoverLimit) leftovers under /etc: the rest not listed") }
        }
        return (files, leftovers, notes, nil, partial.isEmpty ? nil : partial.joined(separator: "; "))
    }
}

extension ConfigsSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [conffilesStep, rpmStep], missing: managerStep, tools: "dpkg or rpm (and awk)"),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.configs = ConfigFiles(files: parsed.files.sorted { $0.path < $1.path },
                                           leftovers: parsed.leftovers.sorted { $0.path < $1.path })
            return .init(notes: parsed.notes, gap: parsed.gap, partial: parsed.partial)
        }, fuzzTargets: ["Configs"])
}
