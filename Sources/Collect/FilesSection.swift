import Model

/// Declared files (`files:` in the checks file), one step for all of them, `files.stat`: per
/// file, its index, then `type=missing`, or `stat`'s `mode owner group type` and, for a regular
/// file, `sum=sha256:<hex>` (`cksum:<crc>` without sha256sum) or `err=unreadable`. The content
/// is read by the digest tool alone: nothing of it reaches the output. Paths come from the
/// checks file only, quoted by ``ShellQuote``; `stat` and the digest run under the step timeout
/// (a file on a dead NFS mount, a huge file).
enum FilesSection {
    static let statStep = Step(.files, "stat")

    static let helpers = """
        PP_FILE_SUM=; PP_FILE_KIND=
        if pp_has sha256sum; then PP_FILE_SUM='sha256sum'; PP_FILE_KIND='sha256'; elif pp_has cksum; then PP_FILE_SUM='cksum'; PP_FILE_KIND='cksum'; fi
        # pp_file PATH INDEX: one declared file, as key=value lines after "@ INDEX".
        pp_file() {
            echo "@ $2"
            if [ ! -e "$1" ] && [ ! -L "$1" ]; then echo type=missing; return 0; fi
            echo "stat=$(pp_to stat -c '%a %U %G %F' -- "$1" 2>/dev/null)"
            if [ -f "$1" ] && [ ! -L "$1" ]; then
                if [ ! -r "$1" ]; then echo err=unreadable
                elif [ -n "$PP_FILE_SUM" ] && pp_file_sum=$(pp_to "$PP_FILE_SUM" <"$1"); then echo "sum=$PP_FILE_KIND:${pp_file_sum%% *}"
                else echo err=digest; fi
            fi
        }

        """

    static func fragment(_ checks: [FileCheck]) -> String {
        guard !checks.isEmpty else { return "" }
        let body = checks.enumerated().map { index, check in "pp_file \(ShellQuote.quote(check.path)) \(index)" }
            .joined(separator: "\n")
        return helpers + ScriptFraming.step(statStep, body, shellcheck: ScriptFraming.checksTextDirective)
    }

    static func parse(_ output: ScriptOutput, checks: [FileCheck]) -> (results: [FileResult], notes: [String]) {
        guard !checks.isEmpty else { return ([], []) }
        guard let step = output[step: statStep] else {
            return ([], ["files: the declared files were not read (the run was cut short)"])
        }
        var notes: [String] = []
        if let problem = step.problem("files", "stat and sha256sum") { notes.append(problem) }
        let parsed = FilesParser.parse(step.stdout, checks: checks)
        return (parsed.results, notes + parsed.notes)
    }
}

extension FilesSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { context in fragment(context.checks.files) }, capture: nil,
        parse: { output, context, snapshot in
            let parsed = parse(output, checks: context.checks.files)
            snapshot.files = context.checks.files.isEmpty ? nil : parsed.results
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["Files"])
}
