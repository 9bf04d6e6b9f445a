import Foundation
import Model
import Report

/// The report files a verify or drift run writes (any number per run), each atomically.
public struct ReportFiles: Sendable {
    public var junit: String?
    public var markdown: String?
    public var html: String?
    public var json: String?
    public var prometheus: String?

    public init(junit: String? = nil, markdown: String? = nil, html: String? = nil, json: String? = nil, prometheus: String? = nil) {
        self.junit = junit
        self.markdown = markdown
        self.html = html
        self.json = json
        self.prometheus = prometheus
    }

    /// Writes every requested report; returns the errors (one line each) of those that failed.
    public func write(_ run: VerifyRun, localHostname: String, now: Date = Date()) -> [String] {
        var errors: [String] = []
        func put(_ path: String?, _ render: () -> String) {
            guard let path else { return }
            do { try AtomicFile.write(Data(render().utf8), to: path) } catch { errors.append("\(error)") }
        }
        put(junit) { JUnitReport.render(run, hostname: localHostname) }
        put(markdown) { MarkdownReport.render(run) }
        put(html) { HTMLReport.render(run) }
        put(json) { JSONReport.render(run) }
        put(prometheus) { PrometheusReport.render(run, timestamp: now) }
        return errors
    }
}
