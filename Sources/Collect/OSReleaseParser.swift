import Foundation
import Model

/// /etc/os-release: shell-style `KEY=value` lines, values optionally quoted.
enum OSReleaseParser {
    static func parse(_ text: String) -> OSRelease {
        var fields: [String: String] = [:]
        for raw in text.lines() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            fields[key] = unquote(String(line[line.index(after: eq)...]))
        }
        return OSRelease(id: fields["ID"] ?? "", versionID: fields["VERSION_ID"] ?? "",
                         prettyName: fields["PRETTY_NAME"] ?? fields["NAME"] ?? "")
    }

    /// os-release(5): double quotes allow `\"`, `\\`, `\$` and `` \` `` escapes; single quotes none.
    static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return String(value.dropFirst().dropLast())
        }
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        var out = ""
        var escaped = false
        for c in value.dropFirst().dropLast() {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
