import Model

/// The last package transaction, from `dnf -C -q history info last` (or `yum -C history info
/// last`) cut after its "Return-Code" line by the collector:
///
///     Transaction ID : 2
///     Begin time     : Mon Dec  7 21:39:33 2026
///     ...
///     Return-Code    : Failure: 1
///
/// Captures: Tests/Fixtures/collect/dnf-4.14-scratch-root_history-info-last-*.out. With no
/// transaction at all, dnf 4.14 prints nothing (a traceback on stderr): nil, no note.
enum DnfHistoryParser {
    static func parse(_ text: String, tool: String) -> (item: LastPackageTransaction?, notes: [String]) {
        var id: Int?, code: String?, begin: String?
        for line in text.lines() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "Transaction ID": id = id ?? Int(value)
            case "Return-Code": code = code ?? value
            case "Begin time": begin = begin ?? value
            default: continue
            }
        }
        guard let id, let code, !code.isEmpty else {
            let said = text.contains { !$0.isWhitespace }
            return (nil, said ? ["packages: \(tool) history info last not understood"] : [])
        }
        return (LastPackageTransaction(tool: tool, id: id, returnCode: String(code.prefix(200)),
                                   begin: begin.map { String($0.prefix(100)) }), [])
    }
}
