import Foundation

/// What one step printed, split by the script's markers (see ``ScriptFraming``).
struct StepOutput: Equatable {
    /// The step's name ("updates.apt"); set by ``ScriptOutput/parse(_:nonce:)``.
    var name: String = ""
    var stdout: String = ""
    var stderr: String = ""
    /// nil when the END marker never came (the run was cut short).
    var status: Int?

    /// Two outputs are equal when what the step printed and returned is; the name is where it was filed.
    static func == (a: StepOutput, b: StepOutput) -> Bool {
        a.stdout == b.stdout && a.stderr == b.stderr && a.status == b.status
    }

    /// The first non-empty stderr line, trimmed: the detail worth a note.
    var stderrHeadline: String? {
        stderr.lines()
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
    }
}

/// The script's stdout taken apart: steps by name, tools found missing, whether it ran to the end.
struct ScriptOutput {
    var steps: [String: StepOutput] = [:]
    /// Step name -> the tools the script looked for and did not find.
    var missing: [String: [String]] = [:]
    var finished = false
    /// Step name -> why the run chose not to run it (`SKIP name reason` markers).
    var skipped: [String: String] = [:]
    /// `NOTE section text` markers: facts the script itself reported ("section: text").
    var notes: [String] = []

    /// Never fails: text outside markers is ignored, unknown kinds are skipped.
    static func parse(_ text: String, nonce: String) -> ScriptOutput {
        parse(Array(text.utf8), nonce: nonce)
    }

    /// The same over the raw bytes, split with memmem; each piece is decoded on its own
    /// (invalid UTF-8 becomes U+FFFD, as decoding the whole would give: markers are ASCII).
    static func parse(_ bytes: [UInt8], nonce: String) -> ScriptOutput {
        var out = ScriptOutput()
        let separator = Array(("\n" + ScriptFraming.markerPrefix + nonce + " ").utf8)
        bytes.withUnsafeBufferPointer { buf in
            let starts = ByteSearch.offsets(of: separator, in: buf)
            // Whatever came before the first marker (shell start-up noise) is skipped.
            for (k, at) in starts.enumerated() {
                let chunk = UnsafeBufferPointer(rebasing: buf[(at + separator.count)..<(k + 1 < starts.count ? starts[k + 1] : buf.count)])
                let nl = chunk.firstIndex(of: 10) ?? chunk.count
                let header = String(decoding: UnsafeBufferPointer(rebasing: chunk[0..<nl]), as: UTF8.self)
                let words = header.split(separator: " ").map(String.init)
                guard let kind = words.first else { continue }
                let name = words.count > 1 ? words[1] : ""
                func body() -> String {
                    nl < chunk.count ? String(decoding: UnsafeBufferPointer(rebasing: chunk[(nl + 1)...]), as: UTF8.self) : ""
                }
                if kind == "BEGIN" || kind == "STDERR" || kind == "END" { out.steps[name, default: StepOutput()].name = name }
                switch kind {
                case "BEGIN": out.steps[name, default: StepOutput()].stdout = body()
                case "STDERR": out.steps[name, default: StepOutput()].stderr = body()
                case "END":
                    out.steps[name, default: StepOutput()].status = words.count > 2 ? Int(words[2]) : nil
                case "MISSING": out.missing[name] = Array(words.dropFirst(2))
                case "SKIP": out.skipped[name] = words.dropFirst(2).joined(separator: " ")
                case "NOTE": out.notes.append("\(name): \(words.dropFirst(2).joined(separator: " "))")
                case "DONE": out.finished = true
                default: continue
                }
            }
        }
        return out
    }

    /// A declared probe's step, or why it has none: the check was invalid (never run), or the
    /// run ended before it.
    func probeStep(_ step: Step, invalid: String?) -> (step: StepOutput?, error: String?) {
        if let invalid { return (nil, "not run: \(invalid)") }
        guard let output = steps[step.name] else { return (nil, "no result from the host (run cut short)") }
        return (output, nil)
    }

    /// Steps whose name starts with `prefix` (e.g. "sockets."), by name.
    func steps(withPrefix prefix: String) -> [(name: String, output: StepOutput)] {
        steps.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension StepOutput {
    /// One note line for a step that did not end well, nil when its status is in `ok`.
    /// `what` names the command for the reader ("dpkg-query", "ss").
    func problem(_ section: String, _ what: String, ok: Set<Int> = [0]) -> String? {
        // A step that carries a whole section and failed outright leaves that section not
        // captured; the gap says so (see CaptureGaps), once.
        if CaptureGaps.carriesSection(name), CaptureGaps.failure(self, timeout: 0) != nil { return nil }
        guard let status else { return "\(section): \(what) did not finish (run cut short)" }
        if ok.contains(status) { return nil }
        // GNU timeout exits 124; busybox's kills with TERM (143).
        if status == 124 || status == 143 { return "\(section): \(what) timed out (raise --step-timeout)" }
        let detail = stderrHeadline.map { ": \($0)" } ?? ""
        return "\(section): \(what) exited \(status)\(detail)"
    }
}
