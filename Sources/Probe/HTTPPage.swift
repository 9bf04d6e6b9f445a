import Model

/// What an HTTP answer's page is, for comparison: its media type, its HTML title, the server's
/// product and a fingerprint of the body read. Pure and bounded.
enum HTTPPage {
    static let titleLimit = 200

    /// The answer's page fields, set on `answer`.
    static func describe(_ response: HTTPExchange.Response, into answer: inout HTTPAnswer) {
        let type = response.header("content-type").map(mediaType)
        answer.contentType = type
        answer.server = response.header("server").map(product)
        if !response.body.isEmpty {
            answer.body = "sha256:" + SHA256.hex(bytes: response.body)
            if type == nil || type == "text/html" || type == "application/xhtml+xml" { answer.title = title(response.body) }
        }
    }

    /// "text/html; charset=utf-8" → "text/html".
    static func mediaType(_ value: String) -> String {
        String(Sanitize.text(value.split(separator: ";").first.map(String.init) ?? value, limit: 100).lowercased())
    }

    /// "nginx/1.22.1 (Debian)" → "nginx"; "Apache" → "apache"; the product only: its version
    /// changes with every patch.
    static func product(_ value: String) -> String {
        let first = value.split(separator: " ").first.map(String.init) ?? value
        return Sanitize.text(first.split(separator: "/").first.map(String.init) ?? first, limit: 60).lowercased()
    }

    /// The text of the first `<title>` element (case-insensitive), entities decoded, blanks squeezed.
    static func title(_ body: [UInt8]) -> String? {
        let lower = body.map { (65...90).contains($0) ? $0 + 32 : $0 }
        guard let open = find(Array("<title".utf8), in: lower, from: 0),
              let close = lower[open...].firstIndex(of: UInt8(ascii: ">")),
              let end = find(Array("</title".utf8), in: lower, from: close + 1) else { return nil }
        let raw = String(decoding: body[(close + 1)..<end], as: UTF8.self)
        let decoded = raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
        let squeezed = decoded.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        let text = Sanitize.text(squeezed, limit: titleLimit)
        return text.isEmpty ? nil : text
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
