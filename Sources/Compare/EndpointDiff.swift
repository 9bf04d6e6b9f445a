import Foundation
import Model

/// Learned endpoints: one checked item per probed socket of the current snapshot, subject as the
/// socket's ("tcp 0.0.0.0:443"). A socket gone since the baseline is the sockets section's
/// finding (socket-closed), never a second one here; a socket new since has no baseline answer to
/// compare (only its certificate's expiry is judged). Ports in either ephemeral range and ports of
/// `ignore: { endpoints: }` are left out.
///
/// The most specific layer that changed speaks, once: a TLS handshake that fails now is
/// tls-handshake-failed (not also a lost HTTP status); a lost or changed status is
/// http-status-changed (not also endpoint-silent); endpoint-silent is for a port that answered
/// in the baseline and says nothing now, when no finding above says so already, and is a
/// regression only when the silence is proven (see `silence`).
enum EndpointDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        let ranges = [baseline.ephemeralPortRange, current.ephemeralPortRange].compactMap { $0 }
        let ignore = maker.rules.ignore
        func keep(_ e: EndpointAnswer) -> Bool {
            !ranges.contains { $0.contains(e.port) } && !ignore.ignoresEndpoint(port: e.port)
        }
        let before = Dictionary(baseline.endpoints.filter(keep).map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        let versions = maker.rules.endpointVersions ?? false
        let days = maker.rules.expiryWarningDays ?? CompareRules.defaultExpiryWarningDays
        return current.endpoints.filter(keep).map { c in
            var found = before[c.sortKey].map { changes($0, c, versions: versions, maker) } ?? []
            if let expiry = expiring(c, at: current.capturedAt, days: days, maker) { found.append(expiry) }
            return maker.item(.endpoints, c.subject, found)
        }
    }

    static func changes(_ b: EndpointAnswer, _ c: EndpointAnswer, versions: Bool, _ maker: FindingMaker) -> [Finding] {
        let s = c.subject
        var found: [Finding] = []
        if let bt = b.tls, bt.succeeded {
            guard let ct = c.tls, ct.succeeded else {
                let why = c.tls?.error ?? c.error ?? "no TLS answer"
                return [maker.make(.tlsHandshakeFailed, s, before: bt.version, after: why,
                                   "\(s) completed a TLS handshake (\(bt.version ?? "?")) in the baseline, fails it now: \(why)")]
            }
            found += tlsChanges(bt, ct, s, maker)
        }
        if let bh = b.http, let ch = c.http {
            if let f = httpChange(bh, ch, s, maker) { found.append(f) } else { found += pageChanges(bh, ch, s, maker) }
        }
        if let bb = b.banner, let cb = c.banner, greets(bb, versions) != greets(cb, versions) {
            found.append(maker.make(.bannerChanged, s, before: greets(bb, versions), after: greets(cb, versions),
                                    "\(s) greets as \(greets(cb, versions)), was \(greets(bb, versions))"))
        }
        if found.isEmpty && b.answered && !c.answered {
            found.append(silence(b, c, s, maker))
        }
        return found
    }

    /// A port that answered in the baseline and not now. Proven silent (a regression) when the
    /// connection was refused, reset or closed, or the probe waited its whole time: every such
    /// outcome carries its error. A banner wait that ended with no error only listened for the
    /// short wait of a port of no known use: a capture that knew the baseline would have waited
    /// the whole time for a port that greeted (EndpointPolicy), so this one was taken without it
    /// (`postpatch snapshot`, then `diff`) or asked another way (the process holding the port no
    /// longer seen). Not proven: info, never a regression invented by a short wait.
    static func silence(_ b: EndpointAnswer, _ c: EndpointAnswer, _ s: String, _ maker: FindingMaker) -> Finding {
        guard c.method == .banner, c.error == nil else {
            return maker.make(.endpointSilent, s, before: said(b), after: "no answer",
                              "\(s) answered in the baseline (\(said(b))), no answer now: "
                                  + (c.error ?? c.http?.error ?? c.tls?.error ?? "nothing said within the probe's wait"))
        }
        return maker.make(.endpointSilent, s, severity: .info, before: said(b), after: "no greeting within the short wait",
                          "\(s) answered in the baseline (\(said(b))), did not greet within the short banner wait now: "
                              + "not proven silent (a verify against the baseline waits the probe's whole time for a port that greeted)")
    }

    /// A protocol change carries its cipher change with it: one finding.
    static func tlsChanges(_ b: TLSInfo, _ c: TLSInfo, _ s: String, _ maker: FindingMaker) -> [Finding] {
        var found: [Finding] = []
        if b.version != c.version {
            found.append(maker.make(.tlsProtocolChanged, s, before: b.version, after: c.version,
                                    "\(s) negotiates \(c.version ?? "?") (\(c.cipher ?? "?")), was \(b.version ?? "?") (\(b.cipher ?? "?"))"))
        } else if b.cipher != c.cipher {
            found.append(maker.make(.tlsCipherChanged, s, before: b.cipher, after: c.cipher,
                                    "\(s) negotiates cipher \(c.cipher ?? "?") under \(c.version ?? "?"), was \(b.cipher ?? "?")"))
        }
        if let bc = b.certificate, let cc = c.certificate, bc.sha256 != cc.sha256 {
            found.append(maker.make(.tlsCertificateChanged, s, before: describe(bc), after: describe(cc),
                                    "\(s) presents another certificate: \(describe(cc)); was \(describe(bc))"))
        }
        return found
    }

    /// 2xx/3xx -> 4xx/5xx or no answer: the application behind the port broke (a proxy's 502 once
    /// its backend is gone): a regression. Any other change of status, or of a redirect's
    /// target (its path; a query string often carries per-request state), is a warning.
    static func httpChange(_ b: HTTPAnswer, _ c: HTTPAnswer, _ s: String, _ maker: FindingMaker) -> Finding? {
        func shown(_ a: HTTPAnswer) -> String { a.status.map(String.init) ?? "no answer" }
        if b.status != c.status {
            let worked = b.status.map { (200..<400).contains($0) } ?? false
            let broken = c.status.map { $0 >= 400 } ?? true
            let now = c.status.map { "answers \($0)" } ?? "gives no answer (\(c.error ?? "no status line"))"
            return maker.make(.httpStatusChanged, s, severity: worked && broken ? .regression : .warning,
                              before: shown(b), after: shown(c),
                              "GET / on \(s) \(now), was \(shown(b))\(b.location.map { " → \($0)" } ?? "")")
        }
        if let bl = b.location, let cl = c.location, redirectTarget(bl) != redirectTarget(cl) {
            return maker.make(.httpStatusChanged, s, severity: .warning, before: "\(shown(b)) → \(bl)", after: "\(shown(c)) → \(cl)",
                              "GET / on \(s) redirects to \(cl), was \(bl)")
        }
        return nil
    }

    /// The same status, another page: its title, media type or server product changed
    /// (`http-page-changed`: the site replaced by the server's default page), or a body whose
    /// fingerprint held between two baselines changed (`http-body-changed`). A field unknown on
    /// either side (a baseline from before pages were read) is not compared.
    static func pageChanges(_ b: HTTPAnswer, _ c: HTTPAnswer, _ s: String, _ maker: FindingMaker) -> [Finding] {
        func quoted(_ t: String?) -> String { t.map { "'\($0)'" } ?? "no title" }
        var what: [String] = [], before: [String] = [], after: [String] = []
        if b.body != nil, c.body != nil, b.title != c.title {
            what.append("now answers \(quoted(c.title)), was \(quoted(b.title))")
            before.append(quoted(b.title)); after.append(quoted(c.title))
        }
        if let bt = b.contentType, let ct = c.contentType, bt != ct {
            what.append("its content type is \(ct), was \(bt)")
            before.append(bt); after.append(ct)
        }
        if let bs = b.server, let cs = c.server, bs != cs {
            what.append("the server is \(cs), was \(bs)")
            before.append(bs); after.append(cs)
        }
        if !what.isEmpty {
            return [maker.make(.httpPageChanged, s, before: before.joined(separator: ", "), after: after.joined(separator: ", "),
                               "GET / on \(s) " + what.joined(separator: "; "))]
        }
        if b.bodyStable == true, let bb = b.body, let cb = c.body, bb != cb {
            return [maker.make(.httpBodyChanged, s, before: String(bb.prefix(19)), after: String(cb.prefix(19)),
                               "GET / on \(s) answers another page (the body's fingerprint held between two baselines and differs now)")]
        }
        return []
    }

    /// "https://sso.example.test/auth?state=x1#y" -> "https://sso.example.test/auth".
    static func redirectTarget(_ location: String) -> Substring {
        location.prefix { $0 != "?" && $0 != "#" }
    }

    /// A certificate within `days` of its notAfter at capture time (or past it): a reminder in
    /// every verify while it holds, whether or not the baseline already said so.
    static func expiring(_ c: EndpointAnswer, at capturedAt: Date, days: Int, _ maker: FindingMaker) -> Finding? {
        guard let tls = c.tls, tls.succeeded, let cert = tls.certificate, let notAfter = cert.notAfter else { return nil }
        let left = notAfter.timeIntervalSince(capturedAt)
        guard left < Double(days) * 86_400 else { return nil }
        let s = c.subject
        let when = UTCStamp.string(notAfter)
        let message = left < 0
            ? "\(s) presents a certificate (\(cert.subject)) that expired on \(when)"
            : "\(s) presents a certificate (\(cert.subject)) that expires on \(when), in \(Int(left / 86_400)) days (expiry_warning_days: \(days))"
        return maker.make(.tlsCertificateExpiring, s, after: when, message)
    }

    static func describe(_ c: CertificateInfo) -> String {
        "\(c.subject) issued by \(c.issuer)\(c.notAfter.map { ", expires \(UTCStamp.string($0))" } ?? "")"
    }

    /// "ssh OpenSSH", with the version too when asked ("ssh OpenSSH 9.2p1").
    static func greets(_ b: BannerInfo, _ versions: Bool) -> String {
        var words = [b.proto]
        if let p = b.product { words.append(p) }
        if versions, let v = b.version { words.append(v) }
        return words.joined(separator: " ")
    }

    /// What a port said in the baseline, in a few words.
    static func said(_ e: EndpointAnswer) -> String {
        if let status = e.http?.status { return "HTTP \(status)" }
        if let tls = e.tls, tls.succeeded { return tls.version ?? "TLS" }
        if let banner = e.banner { return greets(banner, false) }
        return e.method == .connect ? "accepted" : e.method.rawValue
    }
}
