import Model

/// Kernel settings: one awk reads the sysctl files' assignments and then each wanted key's value
/// in /proc/sys (awk reads a file whole; the shell's `read` reads a byte at a time, and the
/// kernel's integer sysctls answer a read past the first byte with end of file). A container's
/// read-only /proc/sys still reads; a key the kernel lacks is left out.
enum SysctlSection {
    static let valuesStep = Step(.sysctl, "values")

    static let body: String = """
    set --
    for pp_f in \(SysctlParser.folders.map { "\($0)/*.conf" }.joined(separator: " ")) /etc/sysctl.conf; do
        if [ -f "$pp_f" ] && [ -r "$pp_f" ]; then set -- "$@" "$pp_f"; fi
    done
    awk -v defaults="\(KernelSetting.defaultKeys.joined(separator: " "))" -v limit=\(SysctlParser.keyLimit) '
      BEGIN { m = split(defaults, d, " "); for (i = 1; i <= m; i++) if (!(d[i] in seen)) { seen[d[i]] = 1; keys[++n] = d[i] } }
      /^[ \\t]*[#;]/ || !/=/ { next }
      { key = $0; sub(/=.*/, "", key); val = $0; sub(/^[^=]*=/, "", val)
        gsub(/^[ \\t-]+|[ \\t]+$/, "", key); gsub(/^[ \\t]+|[ \\t]+$/, "", val)
        if (key == "" || ++c > limit) next
        if (index(key, "/") && !index(key, ".")) gsub(/\\//, ".", key)
        print "conf\\t" FILENAME "\\t" key "\\t" val
        if (!(key in seen) && key !~ /[*?\\[ ]/) { seen[key] = 1; keys[++n] = key } }
      END { for (i = 1; i <= n; i++) { p = keys[i]; gsub(/\\./, "/", p); p = "/proc/sys/" p
              if ((getline v < p) > 0) print "value\\t" keys[i] "\\t" v; close(p) } }' "$@" </dev/null
    """

    static let fragment: String =
        "if pp_has awk && [ -d /proc/sys ]; then\n"
        + ScriptFraming.step(valuesStep, body)
        + "else\n" + ScriptFraming.missing(valuesStep, tools: ["awk", "/proc/sys"]) + "fi\n"
}

extension SysctlSection {
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [valuesStep], missing: valuesStep, tools: "awk and /proc/sys"),
        parse: { output, _, snapshot in
            guard let step = output[step: valuesStep] else { return .init() }
            var notes: [String] = []
            if let problem = step.problem("sysctl", "reading the sysctl files and /proc/sys") { notes.append(problem) }
            let parsed = SysctlParser.parse(step.stdout)
            snapshot.sysctl = parsed.items
            return .init(notes: notes + parsed.notes)
        }, fuzzTargets: ["Sysctl"])
}
