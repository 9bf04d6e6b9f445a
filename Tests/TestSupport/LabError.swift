/// Why a lab server, a helper process or a wait could not do what the test needed.
public struct LabError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
