import Model

/// The package manager's runs since the baseline: one item for them, and a finding for each run
/// that ended with an error. The changes themselves are the packages section's; the log is
/// evidence for `explainedBy` (``Attribution``).
enum TransactionDiff {
    static func items(current: PackageTransactions?, maker: FindingMaker) -> [CheckedItem] {
        guard let t = current else { return [] }
        var items = [maker.item(.transactions, "package runs since the baseline (\(t.runs.count))")]
        for run in t.runs {
            guard let error = run.error else { continue }
            let subject = "\(run.command) at \(run.start)"
            items.append(maker.item(.transactions, subject, [
                maker.make(.packageRunFailed, subject, after: error,
                           "\(run.command) started \(run.start) ended with an error: \(error); "
                               + "check the packages' state (dpkg --audit) and finish it (dpkg --configure -a, apt-get -f install)"),
            ]))
        }
        return items
    }
}
