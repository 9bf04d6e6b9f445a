/// What a declared HTTP check expects, judged the same way whichever client asked (PostPatch
/// through the tunnel, or curl/wget on the host): one line per expectation that failed.
extension HTTPCheck {
    /// How much of the body `contains` is searched in: 1 MiB, so a huge or endless answer
    /// costs at most that much memory and transfer.
    public static let bodyLimit = 1 << 20

    /// `failed` lines for an answer. `error` (no answer, TLS, a missing credential) is the only
    /// line when set; otherwise the status (exactly `status`, or below 400 when the check names
    /// none), then `contains` when the check declares it. `searchedAll` false: the body was cut
    /// at `bodyLimit` before the text was found.
    public func failures(status got: Int?, containsMatched: Bool?, searchedAll: Bool = true, error: String? = nil) -> [String] {
        if let error { return [error] }
        guard let got else { return ["no HTTP status in the answer"] }
        var out: [String] = []
        if let want = status {
            if got != want { out.append("status \(got), expected \(want)") }
        } else if got >= 400 {
            out.append("status \(got), expected below 400")
        }
        if let text = contains, containsMatched != true {
            let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
            let limit = searchedAll ? "" : " (first \(Self.bodyLimit >> 20) MiB searched)"
            out.append("body does not contain '\(shown)'\(limit)")
        }
        return out
    }

    /// "no answer within 10 s": the timeout as people wrote it ("2.5 s").
    public var noAnswerText: String {
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else { return "no answer in time" }
        let tenths = (timeout * 10).rounded()
        let text = tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
        return "no answer within \(text) s"
    }
}
