/// ANSI styling that disappears entirely when colour is off, so plain output has no stray codes.
struct Paint {
    let enabled: Bool

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", grey = "90"
        case boldRed = "1;31", boldGreen = "1;32", boldYellow = "1;33"
    }

    func callAsFunction(_ text: String, _ style: Style?) -> String {
        guard enabled, let style, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    func style(for status: HostStatus) -> Style? {
        switch status {
        case .regression: .boldRed
        case .warning: .yellow
        case .info: .blue
        case .ok: .green
        case .unchecked: .boldYellow
        case .none: .grey
        }
    }
}
