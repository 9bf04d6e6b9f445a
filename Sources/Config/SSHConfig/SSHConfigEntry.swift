/// Where a line came from, for messages: `file:line`.
struct SSHConfigLocation: Sendable, Equatable, CustomStringConvertible {
    var file: String
    var line: Int
    var description: String { "\(file):\(line)" }
}

/// A parsed config: what each line means, independent of the host being resolved.
/// Includes are expanded at parse time (which files exist does not depend on the host);
/// whether their lines apply is decided at resolve time, as ssh does.
indirect enum SSHConfigEntry: Sendable {
    /// `Host` patterns. An empty list (a broken Host line) matches nothing.
    case host([SSHHostPattern])
    /// `Match` criteria; nil when the line cannot be evaluated (exec, unknown criterion,
    /// syntax error): the block never applies.
    case match(SSHMatchCondition?)
    /// The files an `Include` line named, in glob order.
    case include([SSHIncludedFile])
    /// A keyword with its value, checked when parsed.
    case option(SSHOption, SSHConfigLocation)
}

struct SSHIncludedFile: Sendable {
    var path: String
    var entries: [SSHConfigEntry]
}

struct SSHHostPattern: Sendable, Equatable {
    var pattern: String
    var negated: Bool
}

/// A keyword's value after checking. Bad values never get here: they become warnings.
enum SSHOption: Sendable, Equatable {
    case hostName(String)
    case user(String)
    case port(Int)
    case identityFile(String)
    case identitiesOnly(Bool)
    /// The whole list as written (ssh keeps all; PostPatch uses the first). ["none"] allowed.
    case userKnownHostsFiles([String])
    /// Normalised to yes / no / ask / accept-new.
    case strictHostKeyChecking(String)
    /// Seconds; nil for `none`, which leaves the value unset (a later line may still set it).
    case connectTimeout(Int?)
    /// The hops in connection order; empty for `none`.
    case proxyJump([String])
    case proxyCommand(String)
    case hostKeyAlias(String)
    case canonicalizeHostname(Bool)
    /// A keyword PostPatch does not act on, under its canonical spelling (or as written, if unknown).
    case notHonoured(String)
}
