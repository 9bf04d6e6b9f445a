import Foundation

/// A strict reader of the Prometheus text exposition format (version 0.0.4), as far as
/// PostPatch's output uses it: HELP/TYPE before samples, label values with only the `\\`, `\"`
/// and `\n` escapes, a float value, no timestamp (node_exporter's textfile collector refuses
/// them), no duplicate series, a final newline. Stands in for `promtool check metrics`, whose
/// Debian package (prometheus, ~96 MB) is too large to install for one test.
enum PrometheusExpositionChecker {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// Returns the number of samples, or throws naming the first bad line.
    static func check(_ text: String) throws -> Int {
        guard text.hasSuffix("\n") else { throw Invalid(description: "no final newline") }
        var typed: [String: String] = [:]
        var seen = Set<String>()
        var samples = 0
        for (n, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fail = { (why: String) in Invalid(description: "line \(n + 1): \(why): \(line)") }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count >= 3, isMetricName(parts[2]) else { throw fail("bad comment") }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["gauge", "counter", "untyped"].contains(parts[3]) else { throw fail("bad type") }
                    guard typed[parts[2]] == nil else { throw fail("second TYPE") }
                    typed[parts[2]] = parts[3]
                }
                continue
            }
            guard !line.isEmpty, !line.hasPrefix("#") else { throw fail("stray line") }
            let (series, rest) = try parseSeries(String(line), fail: fail)
            let name = String(series.prefix { $0 != "{" })
            guard typed[name] != nil else { throw fail("sample before its TYPE") }
            guard seen.insert(series).inserted else { throw fail("duplicate series") }
            guard !rest.contains(" ") else { throw fail("timestamp or trailing text") }
            guard Double(rest) != nil || ["NaN", "+Inf", "-Inf"].contains(rest) else { throw fail("bad value") }
            samples += 1
        }
        return samples
    }

    private static func isMetricName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first == ":" || first.properties.isAlphabetic && first.isASCII else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0 == ":" || CharacterSet.alphanumerics.contains($0)) }
    }

    /// Splits `name{labels} value` into the canonical series text and the value part.
    private static func parseSeries(_ line: String, fail: (String) -> Invalid) throws -> (String, String) {
        let scalars = Array(line.unicodeScalars)
        var i = 0
        while i < scalars.count, scalars[i] != "{", scalars[i] != " " { i += 1 }
        let name = String(String.UnicodeScalarView(scalars[0..<i]))
        guard isMetricName(name) else { throw fail("bad metric name") }
        var series = name
        if i < scalars.count, scalars[i] == "{" {
            i += 1
            var labels: [String] = []
            while i < scalars.count, scalars[i] != "}" {
                var label = ""
                while i < scalars.count, scalars[i] != "=" { label.unicodeScalars.append(scalars[i]); i += 1 }
                guard isMetricName(label), !label.contains(":"), i + 1 < scalars.count, scalars[i + 1] == "\"" else { throw fail("bad label name") }
                i += 2
                var value = ""
                while i < scalars.count, scalars[i] != "\"" {
                    if scalars[i] == "\\" {
                        guard i + 1 < scalars.count, ["\\", "\"", "n"].contains(scalars[i + 1]) else { throw fail("bad escape") }
                        value += "\\" + String(scalars[i + 1])
                        i += 2
                        continue
                    }
                    value.unicodeScalars.append(scalars[i])
                    i += 1
                }
                guard i < scalars.count else { throw fail("unterminated label value") }
                i += 1
                labels.append("\(label)=\"\(value)\"")
                if i < scalars.count, scalars[i] == "," { i += 1 }
            }
            guard i < scalars.count else { throw fail("unterminated labels") }
            i += 1
            series += "{" + labels.sorted().joined(separator: ",") + "}"
        }
        guard i < scalars.count, scalars[i] == " " else { throw fail("no value") }
        return (series, String(String.UnicodeScalarView(scalars[(i + 1)...])))
    }
}
