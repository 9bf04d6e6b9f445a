/// A password or passphrase. It prints as "<redacted>" so it cannot reach a log or report
/// through string interpolation by accident; `reveal` is the one door to its value.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String
    public init(_ value: String) { self.value = value }
    public var reveal: String { value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
