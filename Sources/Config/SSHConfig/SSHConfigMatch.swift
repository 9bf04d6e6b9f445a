/// A `Match` line's criteria, checked when parsed and evaluated per host.
struct SSHMatchCondition: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case all, canonical, final
        case host(String), originalHost(String), user(String), localUser(String)
    }
    struct Criterion: Sendable, Equatable {
        var kind: Kind
        var negated: Bool
    }
    var criteria: [Criterion]

    /// `Match final` asks ssh to read the config a second time (see SSHConfigResolver).
    var wantsFinalPass: Bool {
        criteria.contains { $0.kind == .final }
    }

    /// Parses the words after `Match`. A failure message means the block can never apply:
    /// `exec` (PostPatch runs no local commands), criteria this parser does not know, syntax errors.
    static func parse(_ args: [String]) -> Result<SSHMatchCondition, SSHValueProblem> {
        var criteria: [Criterion] = []
        var i = 0
        while i < args.count {
            var word = Substring(args[i])
            i += 1
            let negated = word.hasPrefix("!")
            if negated { word = word.dropFirst() }
            let name = word.lowercased()
            switch name {
            case "all":
                // ssh: `all` stands alone or right after canonical/final, with nothing after it.
                if criteria.count > 1 || i < args.count {
                    return .failure("Match: 'all' cannot be combined with other Match criteria: block skipped")
                }
                criteria.append(Criterion(kind: .all, negated: negated))
                continue
            case "canonical", "final":
                criteria.append(Criterion(kind: name == "final" ? .final : .canonical, negated: negated))
                continue
            case "exec":
                return .failure("Match exec is not supported (PostPatch runs no local commands): block skipped")
            case "host", "originalhost", "user", "localuser":
                break
            default:
                return .failure("Match criterion '\(word)' is not supported: block skipped")
            }
            guard i < args.count, !args[i].isEmpty else {
                return .failure("Match \(word): missing argument: block skipped")
            }
            let list = args[i]
            i += 1
            let kind: Kind
            switch name {
            case "host": kind = .host(list)
            case "originalhost": kind = .originalHost(list)
            case "user": kind = .user(list)
            default: kind = .localUser(list)
            }
            criteria.append(Criterion(kind: kind, negated: negated))
        }
        if criteria.isEmpty { return .failure("Match: one or more criteria required: block skipped") }
        return .success(SSHMatchCondition(criteria: criteria))
    }

    /// What a Match line is compared with, at the moment ssh reaches it.
    struct Context {
        /// The target name: HostName (with %h expanded) once set, else the name as given.
        var host: String
        /// The name as given on the command line.
        var originalHost: String
        /// The remote user known so far (User already obtained, else the local user).
        var remoteUser: String
        var localUser: String
        /// True during the second reading of the config (Match canonical / final).
        var finalPass: Bool
    }

    /// All criteria must hold (each possibly negated), as in ssh's match_cfg_line.
    func matches(_ c: Context) -> Bool {
        for criterion in criteria {
            let hit: Bool
            switch criterion.kind {
            case .all: hit = true
            case .canonical, .final: hit = c.finalPass
            case let .host(list): hit = SSHPattern.matchList(c.host, list, lowercase: true) == .positive
            case let .originalHost(list):
                hit = SSHPattern.matchList(c.originalHost, list, lowercase: true) == .positive
            case let .user(list): hit = SSHPattern.matchList(c.remoteUser, list, lowercase: false) == .positive
            case let .localUser(list): hit = SSHPattern.matchList(c.localUser, list, lowercase: false) == .positive
            }
            if hit == criterion.negated { return false }
        }
        return true
    }
}
