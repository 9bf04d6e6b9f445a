/// A problem with the config file, pinned to the place a user must edit.
/// `line` and `column` are 1-based; 0 means the problem is about the file as a whole
/// (missing, empty) or about a command-line choice checked against it (unknown group).
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    init(file: String, at location: Location, _ message: String) {
        self.init(file: file, line: location.line, column: location.column, message: message)
    }

    /// `file:line:col: message`, the shape editors and CI logs turn into links.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// A 1-based line and column in the config file. Kept instead of Yams' `Mark`
/// so parsed values stay plain `Sendable` data.
struct Location: Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int
    static let start = Location(line: 1, column: 1)
    var description: String { "line \(line), column \(column)" }
}
