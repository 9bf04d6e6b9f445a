import Foundation
import Model

/// Prometheus text exposition (`--prometheus FILE`) for node_exporter's textfile collector.
///
/// Every host × severity is written, zeros included, so an alert on
/// `postpatch_findings{severity="regression"} > 0` resolves when the regression goes away instead
/// of the series vanishing. No sample carries a timestamp: the textfile collector rejects them.
/// A host listed twice in one run is written once (counts summed, up only if every run of it was),
/// because duplicate series make node_exporter drop the whole file.
public enum PrometheusReport {
    public static func render(_ run: VerifyRun, timestamp: Date) -> String {
        var order: [String] = []
        var counts: [String: [Severity: Int]] = [:]
        var up: [String: Bool] = [:]
        var patch: [String: PatchRecord] = [:]
        for host in run.hosts {
            let name = host.host
            if counts[name] == nil { order.append(name); counts[name] = [:]; up[name] = true }
            if let record = host.patch { patch[name] = record }
            for severity in Severity.allCases {
                counts[name]?[severity, default: 0] += host.count(severity)
            }
            if host.error != nil { up[name] = false }
        }

        var out = ""
        out += header("postpatch_findings", "Findings of the last postpatch run, by host and severity.")
        for name in order {
            for severity in [Severity.regression, .warning, .info] {
                let n = counts[name]?[severity] ?? 0
                out += "postpatch_findings{host=\"\(label(name))\",severity=\"\(severity.rawValue)\"} \(n)\n"
            }
        }
        out += header("postpatch_host_up", "1 if postpatch could check the host in its last run, 0 if not.")
        for name in order {
            out += "postpatch_host_up{host=\"\(label(name))\"} \(up[name] == true ? 1 : 0)\n"
        }
        out += patchGauges(order.filter { patch[$0] != nil }, patch)
        out += header("postpatch_last_run_timestamp_seconds", "Unix time the last postpatch run finished.")
        out += "postpatch_last_run_timestamp_seconds \(number(timestamp.timeIntervalSince1970))\n"
        out += header("postpatch_run_duration_seconds", "Wall-clock duration of the last postpatch run.")
        out += "postpatch_run_duration_seconds \(number(run.durationSeconds))\n"
        return out
    }

    /// The patch record's gauges (docs/patch.md), for the hosts that have one. The metric names
    /// are the ones the shipped dashboard and alert rules use (packaging/prometheus, packaging/grafana).
    static func patchGauges(_ hosts: [String], _ patch: [String: PatchRecord]) -> String {
        guard !hosts.isEmpty else { return "" }
        var out = header("postpatch_updates_missing", "Pending updates by severity: security ones by their worst advisory severity (unknown: none given), other: not security.")
        for name in hosts {
            guard let missing = patch[name]?.missing else { continue }
            for l in MissingUpdates.labels {
                out += "postpatch_updates_missing{host=\"\(label(name))\",severity=\"\(l)\"} \(missing.count(label: l))\n"
            }
        }
        out += header("postpatch_security_fix_oldest_age_seconds", "Age of the oldest missing security fix (first seen on the host, or its advisory's issue date); 0 when none is missing.")
        for name in hosts where patch[name]?.missing != nil {
            out += "postpatch_security_fix_oldest_age_seconds{host=\"\(label(name))\"} \(patch[name]?.oldestMissingSecurity?.ageSeconds ?? 0)\n"
        }
        let limited = hosts.filter { patch[$0]?.maxSecurityAgeDays != nil }
        if !limited.isEmpty {
            out += header("postpatch_security_fix_max_age_seconds", "The policy's rules: max_security_age_days, in seconds, for hosts that set it.")
            for name in limited {
                out += "postpatch_security_fix_max_age_seconds{host=\"\(label(name))\"} \((patch[name]?.maxSecurityAgeDays ?? 0) * 86_400)\n"
            }
        }
        let rows: [(String, String, (PatchRecord) -> Int)] = [
            ("postpatch_fixes_not_in_effect", "Packages installed but not in effect: their replaced code still runs, or their fix waits for a reboot.", { $0.notInEffect.count }),
            ("postpatch_reboot_pending", "1 if the host needs a reboot for what was installed, 0 if not.", { $0.pendingReboot.isEmpty ? 0 : 1 }),
            ("postpatch_packages_broken", "Packages not fully installed (an interrupted or failed patch).", { $0.failed.count }),
            ("postpatch_host_compliant", "1 if the host complies: no security fix older than the policy, nothing broken, pending reboot or not in effect.", { $0.compliant ? 1 : 0 }),
        ]
        for (metric, help, value) in rows {
            out += header(metric, help)
            for name in hosts {
                guard let record = patch[name] else { continue }
                out += "\(metric){host=\"\(label(name))\"} \(value(record))\n"
            }
        }
        return out
    }

    private static func header(_ name: String, _ help: String) -> String {
        "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
    }

    /// A label value: `\`, `"` and line feed escaped as the exposition format defines; other
    /// invisible characters made visible first so the file stays one sample per line.
    static func label(_ value: String) -> String {
        var out = ""
        let normalized = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for scalar in VisibleText.escape(normalized, keepLineBreaks: true).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Plain decimal, never exponent notation or NaN (both legal, but unfriendly to grep and alerts).
    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String(format: "%.3f", value)
    }
}
