import Foundation
import Model

/// What `postpatch show` says about the learned endpoints: one summary line for the facts table
/// ("3 probed: 22 ssh OpenSSH, 443 tls TLSv1.3 http 200 (cert expires 2027-01-10), …") and a
/// table of one row per endpoint. Banners, certificate names and errors come from the host's
/// services: every part is cut to a few dozen characters and made visible.
enum SnapshotEndpointLines {
    /// Endpoints named in the summary line; the table lists up to ``maxRows``.
    static let maxInSummary = 5
    /// One endpoint in the summary: "443 tls TLSv1.3 http 200 (cert expires 2027-01-10)" is 51.
    static let maxSummaryPart = 60
    static let maxRows = 25
    /// The longest banner product, TLS version, error or certificate name shown.
    static let maxPart = 40

    static func summary(_ endpoints: [EndpointAnswer], at capturedAt: Date) -> TextColumns.Cell {
        guard !endpoints.isEmpty else { return .init("none") }
        var parts: [String] = []
        for e in endpoints {
            var part = "\(e.port) " + answer(e)
            if let expiry = expiry(e, at: capturedAt) { part += " (\(expiry))" }
            part = VisibleText.clipped(part, maxSummaryPart)
            // The same port on 0.0.0.0 and :: usually answers the same: name it once.
            if !parts.contains(part) { parts.append(part) }
            if parts.count > maxInSummary { break }
        }
        let shown = parts.prefix(maxInSummary).joined(separator: ", ") + (parts.count > maxInSummary ? ", …" : "")
        let failing = endpoints.filter(isFailing).count
        var head = "\(endpoints.count) probed"
        if failing > 0 { head += ", \(failing) failing" }
        return .init(head + ": " + shown, failing > 0 ? .red : nil)
    }

    static func table(_ endpoints: [EndpointAnswer], at capturedAt: Date) -> TextColumns {
        var table = TextColumns()
        table.add([.init("PORT", .dim), .init("ADDRESS", .dim), .init("ANSWER", .dim), .init("DETAIL", .dim)])
        for e in endpoints.prefix(maxRows) {
            table.add([.init(String(e.port)), .init(VisibleText.clipped(e.address, maxPart)),
                       .init(VisibleText.clipped(answer(e), 2 * maxPart), isFailing(e) ? .red : nil),
                       .init(VisibleText.clipped(detail(e, at: capturedAt), 3 * maxPart), .dim)])
        }
        return table
    }

    /// "ssh OpenSSH", "tls TLSv1.3 http 200", "http 302", "tls failed", "no answer", "open".
    static func answer(_ e: EndpointAnswer) -> String {
        let clip = { VisibleText.clipped($0, maxPart) }
        if !e.answered, e.tls == nil, e.http == nil { return "no answer" }
        var parts: [String] = []
        if let b = e.banner { parts.append(([b.proto] + (b.product.map { [$0] } ?? [])).map(clip).joined(separator: " ")) }
        if let t = e.tls { parts.append(t.succeeded ? "tls " + clip(t.version ?? "") : "tls failed") }
        if let h = e.http { parts.append(h.status.map { "http \($0)" } ?? "http no answer") }
        if parts.isEmpty { parts.append(e.method == .connect ? "open" : e.method.rawValue) }
        return parts.joined(separator: " ")
    }

    /// What the row adds to the answer: the TLS cipher and certificate, a redirect's target, the
    /// banner line, or why nothing answered.
    private static func detail(_ e: EndpointAnswer, at capturedAt: Date) -> String {
        let clip = { VisibleText.clipped($0, maxPart) }
        var parts: [String] = []
        if let t = e.tls {
            if let error = t.error { parts.append(clip(error)) }
            if let cipher = t.cipher { parts.append(clip(cipher)) }
            if let subject = t.certificate?.subject { parts.append(clip(subject)) }
            if let expiry = expiry(e, at: capturedAt) { parts.append(expiry) }
        }
        if let location = e.http?.location { parts.append("→ " + clip(location)) }
        if let error = e.http?.error { parts.append(clip(error)) }
        if let line = e.banner?.line, !line.isEmpty, e.tls == nil { parts.append(clip(line)) }
        if let error = e.error { parts.append(clip(error)) }
        if let process = e.process, parts.isEmpty { parts.append(clip(process)) }
        return parts.joined(separator: ", ")
    }

    /// "cert expires 2027-01-10", or "cert expired 2025-01-10" when it had at capture time.
    private static func expiry(_ e: EndpointAnswer, at capturedAt: Date) -> String? {
        guard let notAfter = e.tls?.certificate?.notAfter else { return nil }
        let day = String(ISO8601.string(notAfter).prefix(10))
        return notAfter < capturedAt ? "cert expired \(day)" : "cert expires \(day)"
    }

    /// No answer at all, a failed TLS handshake or an HTTP request left unanswered.
    private static func isFailing(_ e: EndpointAnswer) -> Bool {
        !e.answered || e.tls?.succeeded == false || (e.http != nil && e.http?.status == nil)
    }
}
