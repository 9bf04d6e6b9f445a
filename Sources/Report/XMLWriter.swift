/// A minimal streaming XML 1.0 writer: the one place JUnit output is escaped.
///
/// goss builds its JUnit file with printf and breaks on the first service description containing
/// `&`. Here every piece of text goes through ``escapeText(_:)`` or ``escapeAttribute(_:)``,
/// which first make characters outside XML's `Char` production visible (see ``VisibleText``)
/// and then escape markup. Element and attribute names are constants of this module, never host text.
struct XMLWriter {
    private var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    typealias Attributes = KeyValuePairs<String, String>

    /// Starts an element whose children are elements, one per line.
    mutating func start(_ name: String, _ attributes: Attributes = [:]) {
        indent()
        output += "<" + name + Self.render(attributes) + ">\n"
        open.append(name)
    }

    /// Closes the innermost element opened by ``start(_:_:)``.
    mutating func end() {
        guard let name = open.popLast() else { return }
        indent()
        output += "</" + name + ">\n"
    }

    /// A complete element on one line: empty, or holding text only.
    mutating func element(_ name: String, _ attributes: Attributes = [:], text: String? = nil) {
        indent()
        output += "<" + name + Self.render(attributes)
        if let text, !text.isEmpty {
            output += ">" + Self.escapeText(text) + "</" + name + ">\n"
        } else {
            output += "/>\n"
        }
    }

    /// The document, with any still-open elements closed.
    mutating func finish() -> String {
        while !open.isEmpty { end() }
        return output
    }

    private mutating func indent() {
        output += String(repeating: "  ", count: open.count)
    }

    private static func render(_ attributes: Attributes) -> String {
        attributes.map { " \($0.key)=\"\(escapeAttribute($0.value))\"" }.joined()
    }

    /// Character data: `&`, `<` and `>` escaped (the last so `]]>` can never appear);
    /// CR as `&#13;` because parsers would turn a literal one into LF.
    static func escapeText(_ text: String) -> String {
        MarkupEscape.escape(VisibleText.escape(text, keepLineBreaks: true), MarkupEscape.xmlText)
    }

    /// Attribute values (always double-quoted): markup escaped as for text, plus `"`, and tab,
    /// LF and CR as character references, which survive attribute-value normalisation.
    static func escapeAttribute(_ text: String) -> String {
        MarkupEscape.escape(VisibleText.escape(text, keepLineBreaks: true), MarkupEscape.xmlAttribute)
    }
}

/// One escaping loop for XML and HTML: each format is a table of replacements.
enum MarkupEscape {
    static let xmlText: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"]
    static let xmlAttribute: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;",
                                                         "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"]
    static let html: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    static func escape(_ text: String, _ table: [Unicode.Scalar: String]) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let r = table[scalar] { out += r } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
