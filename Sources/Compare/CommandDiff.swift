import Model

/// Declared command checks: one checked item per command of the current snapshot (subject: its
/// name). A command only in the baseline is one the checks file no longer declares: no item.
///
/// - `command-failed`: an expectation fails now (a declared expectation is a regression on its
///   own, baseline or not), or the command exited 0 in the baseline (passing) and now exits
///   non-zero or times out.
/// - `command-output-changed` (`compare: output`): both runs exited alike and passed, and the
///   digest of the output differs.
enum CommandDiff {
    static func items(baseline: [CommandResult], current: [CommandResult], maker: FindingMaker) -> [CheckedItem] {
        let before = Dictionary(baseline.map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        return current.map { c in
            var found: [Finding] = []
            if let failure = failure(c, maker: maker) {
                found.append(failure)
            } else if let b = before[c.sortKey] {
                if b.passed, b.exit == 0, c.timedOut || c.exit != 0 {
                    found.append(maker.make(.commandFailed, c.subject, before: outcome(b), after: outcome(c),
                                            "command '\(clean(c.name))' exited 0 in the baseline, now \(outcome(c))" + tail(c)))
                } else if c.compare == .output, b.passed, b.exit == c.exit, !b.timedOut, !c.timedOut,
                          let db = b.digest, let dc = c.digest, db != dc {
                    found.append(maker.make(.commandOutputChanged, c.subject, before: size(b, db), after: size(c, dc),
                                            "command '\(clean(c.name))' output changed (\(b.outputBytes) → \(c.outputBytes) bytes)" + tail(c)))
                }
            }
            return maker.item(.commands, c.subject, found)
        }
    }

    /// `command-failed` for a command whose declared expectations fail in this one snapshot.
    static func failure(_ c: CommandResult, maker: FindingMaker) -> Finding? {
        guard !c.passed else { return nil }
        return maker.make(.commandFailed, c.subject, after: outcome(c),
                          "command '\(clean(c.name))' " + clean(c.failed.joined(separator: "; ")) + tail(c))
    }

    /// "exited 3", "timed out", "did not run".
    static func outcome(_ r: CommandResult) -> String {
        if r.timedOut { return "timed out" }
        return r.exit.map { "exited \($0)" } ?? "did not run"
    }

    static func size(_ r: CommandResult, _ digest: String) -> String {
        "\(digest.prefix(19))… (\(r.outputBytes) bytes)"
    }

    /// ": <first non-empty line of the excerpt>", cut to one short line; nothing when it printed nothing.
    static func tail(_ r: CommandResult) -> String {
        let line = r.excerpt.split(separator: "\n").lazy
            .map { $0.drop { $0 == " " || $0 == "\t" } }
            .first { !$0.isEmpty }
        guard let line else { return "" }
        let oneLine = clean(String(line))
        return ": " + (oneLine.count > 120 ? oneLine.prefix(120) + "…" : oneLine)
    }

    /// Text from a snapshot file as one printable line: a tab becomes a space, other control
    /// and format characters are escaped (the collector already did; a hand-edited file may not).
    static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case _ where scalar == "\t": out += " "
            case .control, .format, .lineSeparator, .paragraphSeparator: out += scalar.escaped(asASCII: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Differ {
    /// The declared expectations that fail in ONE snapshot, as regression findings (unless a
    /// policy lowers them): commands (`command-failed`) and HTTP checks (`http-check-failed`).
    /// `postpatch baseline` reports these: a smoke test failing before the patch is news too.
    /// Only failing items are returned.
    public static func expectations(snapshot: Snapshot, rules: CompareRules) -> [CheckedItem] {
        let maker = FindingMaker(host: snapshot.host, rules: rules)
        var items: [CheckedItem] = snapshot.commands.compactMap { c in
            CommandDiff.failure(c, maker: maker).map { maker.item(.commands, c.subject, [$0]) }
        }
        items += snapshot.httpChecks.compactMap { h in
            HTTPCheckDiff.failure(h, baseline: nil, maker: maker).map { maker.item(.http, h.subject, [$0]) }
        }
        return items.sorted(by: itemOrder)
    }
}
