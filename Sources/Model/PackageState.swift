/// How far a package is from fully installed, in the package manager's own words: dpkg's status
/// word (deb-status(5)) for a dpkg package, "duplicate" for an rpm name+arch installed in more
/// than one version outside the install-only packages. A string, not an enum: a snapshot holding
/// a state this build does not know still loads, and reads as not fully installed.
public struct PackageState: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// dpkg: unpacking started and did not finish (files of both versions may be on disk).
    public static let halfInstalled = PackageState("half-installed")
    /// dpkg: the new version's files are in place, its configuration (postinst) never ran.
    public static let unpacked = PackageState("unpacked")
    /// dpkg: configuration started and did not finish (postinst failed or was cut short).
    public static let halfConfigured = PackageState("half-configured")
    /// dpkg: waits for another package to process triggers this one activated.
    public static let triggersAwaited = PackageState("triggers-awaited")
    /// dpkg: triggers were activated for the package and never processed.
    public static let triggersPending = PackageState("triggers-pending")
    /// rpm: the same name and architecture installed in several versions (not an install-only
    /// package such as a kernel): the mark of an interrupted transaction.
    public static let duplicate = PackageState("duplicate")

    /// dpkg's status word → the letter `dpkg -l` shows for it in its second column.
    public var dpkgLetter: Character? {
        switch self {
        case .halfInstalled: return "H"
        case .unpacked: return "U"
        case .halfConfigured: return "F"
        case .triggersAwaited: return "W"
        case .triggersPending: return "t"
        default: return nil
        }
    }
}
