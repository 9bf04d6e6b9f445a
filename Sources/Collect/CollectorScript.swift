import Model

/// The one POSIX sh script that collects a snapshot on a host. Its text is a pure function of
/// the checks, the options and the nonce, so `postpatch script` can print exactly what runs.
public enum CollectorScript {
    /// The command line that runs the script, which goes in on stdin (so neither the script nor
    /// its nonce is in any process list). Not `sh -s`: a shell reading commands from a pipe
    /// reads one byte per system call (13,000 for the script). `cat` takes it in one read, and
    /// `exec` drops the login shell (any shell that knows `exec` and single quotes will do).
    public static let launcher = "exec /bin/sh -c 'eval \"$(cat)\"'"

    /// The exact script that runs on a host. `nonce` is a random token the caller generates
    /// per run; it goes into every section marker so host output can't forge a boundary.
    public static func render(checks: CheckSet, options: ScriptOptions, nonce: String) -> String {
        let context = SectionCollector.Context(checks: checks, options: options)
        return ScriptFraming.preamble(nonce: nonce, stepTimeout: options.stepTimeout)
            + SnapshotSection.allCases.map { $0.collector.fragment(context) }.joined()
            + ScriptFraming.epilogue
    }
}

/// Builds a Snapshot from the script's stdout.
public enum SnapshotParser {
    /// Builds a Snapshot (all sections except `databases`, which Probe fills) from the script's
    /// raw stdout bytes. Never throws; problems go to `notes`. `capturedAt` and `durationMs`
    /// are left for the caller. The result is canonical (sorted).
    public static func parse(stdout: [UInt8], host: String, nonce: String, checks: CheckSet,
                             options: ScriptOptions = ScriptOptions()) -> Snapshot {
        // Invalid UTF-8 (a Latin-1 description) becomes U+FFFD instead of failing the whole parse.
        let output = ScriptOutput.parse(stdout, nonce: nonce)
        var notes = output.notes
        if output.steps.isEmpty {
            notes.append("script: no section markers in the output (wrong nonce, or the script did not run)")
        } else if !output.finished {
            notes.append("script: output ended before the last section (killed or timed out?)")
        }
        let context = SectionCollector.Context(checks: checks, options: options)
        var snapshot = Snapshot(host: host)
        snapshot.notCaptured = CaptureGaps.detect(output, timeouts: context.timeouts)
        // In section order: a section's parse may read the sections before it.
        for section in SnapshotSection.allCases {
            let parsed = section.collector.parse(output, context, &snapshot)
            notes += parsed.notes
            // What a section's own parse found beyond the step table (CaptureGaps): a gap, or "partial".
            guard snapshot.isCaptured(section) else { continue }
            if let gap = parsed.gap { snapshot.notCaptured[section] = gap }
            if snapshot.isCaptured(section), let why = parsed.partial { snapshot.partial[section] = why }
        }
        snapshot.notes = notes
        snapshot.canonicalize()
        return snapshot
    }
}
