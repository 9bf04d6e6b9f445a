/// Plain TCP: the connect itself is the answer. Many services greet first (SSH, SMTP, FTP), so
/// the probe listens briefly for a banner; with `expectBanner` the banner is required and must
/// start with it.
enum TCPBannerProbe {
    /// How long to wait for a banner nobody asked for: long enough for a greeting, short enough
    /// not to slow down a run full of silent ports.
    static let optionalBannerWait: Duration = .milliseconds(1500)
    static let bannerLimit = 512

    static func speak(_ wire: WireReader, expect: String?, timeout: Duration) async throws -> ProbeOutcome {
        let until = expect == nil ? min(wire.deadline, .now + optionalBannerWait) : wire.deadline
        var closed = false
        do {
            while wire.buffer.count < bannerLimit && !wire.buffer.contains(0x0A) {
                if try await !wire.fill(until: until) {
                    closed = true
                    break
                }
            }
        } catch {
            // Silence until the wait ends is an answer here; any other failure is not.
            guard ContinuousClock.now >= until else { throw error }
        }
        let banner = wire.buffer
        let line = Sanitize.firstLine(banner)
        guard let expect else {
            return ProbeOutcome(up: true, detail: banner.isEmpty ? (closed ? "closed without a banner" : nil) : line)
        }
        let shownExpect = Sanitize.text(expect, limit: 60, trim: false)
        if banner.isEmpty {
            let what = closed ? "the server closed the connection without a banner"
                              : "no banner within \(formatSeconds(timeout))"
            return ProbeOutcome(up: false, error: "\(what) (expected one starting with '\(shownExpect)')")
        }
        if banner.starts(with: Array(expect.utf8)) || line.hasPrefix(expect) {
            return ProbeOutcome(up: true, detail: line)
        }
        return ProbeOutcome(up: false, detail: line,
                            error: "banner does not start with '\(shownExpect)': got '\(Sanitize.text(line, limit: 60))'")
    }
}
