import Model

/// The one-line summary printed last by every command and used as titles:
/// "3 hosts: 1 regression, 2 warnings, 14 info, 1 host not checked".
public enum TotalLine {
    public static func render(_ run: VerifyRun) -> String {
        var parts = [
            Wording.count(run.count(.regression), "regression"),
            Wording.count(run.count(.warning), "warning"),
            "\(run.count(.info)) info",
        ]
        if run.unchecked > 0 {
            parts.append(Wording.count(run.unchecked, "host") + " not checked")
        }
        return Wording.count(run.hosts.count, "host") + ": " + parts.joined(separator: ", ")
    }
}
