/// Reads the parsed config for one host the way ssh's readconf.c does: lines apply while the
/// last Host/Match line matched, the first obtained value of each parameter wins, and
/// IdentityFile accumulates.
///
/// ssh may read the config twice: when a `Match final` line exists anywhere, or when
/// CanonicalizeHostname is on. The second reading continues from the values already obtained,
/// compares both Host and Match host with the final name (HostName applied, lowercased), and
/// lets `Match canonical` / `Match final` apply (seen with `ssh -G`, OpenSSH 9.2).
struct SSHConfigResolver {
    let host: String
    let localUser: String
    let home: String
    private var state = State()
    private var finalPass = false

    private struct State {
        var hostName: String?
        var user: String?
        var port: Int?
        var identityFiles: [String] = []
        var identitiesOnly: Bool?
        var knownHosts: [String]?
        var strict: String?
        var connectTimeout: Int?
        var jump: [String]?
        var proxyCommand: String?
        var hostKeyAlias: String?
        var canonicalize: Bool?
        var ignored: [String] = []
    }

    /// ssh's limit (SSH_MAX_IDENTITY_FILES); it refuses more, PostPatch keeps the first 100.
    static let maxIdentityFiles = 100

    static func resolve(_ config: SSHConfig, host: String, localUser: String, user: String?,
                        port: Int?) -> SSHHostSettings {
        var r = SSHConfigResolver(host: host, localUser: localUser, home: config.home)
        // Command-line values come first, so they win over the config like ssh's -l and -p.
        r.state.user = user
        r.state.port = port
        var active = true
        r.walk(config.entries, active: &active, neverMatch: false)
        if config.wantsFinalPass || r.state.canonicalize == true {
            r.finalPass = true
            active = true
            r.walk(config.entries, active: &active, neverMatch: false)
        }
        return r.settings()
    }

    /// The target name: HostName with `%h` expanded, else the name given; ssh lowercases it.
    private var finalHost: String {
        SSHPattern.asciiLower(state.hostName.map { SSHConfigExpansion.percent($0, ["h": host]) } ?? host)
    }

    /// `neverMatch`: inside a file included from a block that did not apply, no Host or Match
    /// line can switch lines on (ssh's SSHCONF_NEVERMATCH).
    private mutating func walk(_ entries: [SSHConfigEntry], active: inout Bool, neverMatch: Bool) {
        for entry in entries {
            switch entry {
            case let .host(patterns):
                active = !neverMatch && hostMatches(patterns, finalPass ? finalHost : host)
            case let .match(condition):
                active = !neverMatch && (condition?.matches(matchContext()) ?? false)
            case let .include(files):
                let outer = active
                for file in files {
                    walk(file.entries, active: &active, neverMatch: neverMatch || !outer)
                    // A Match inside the included file does not change the including file's state.
                    active = outer
                }
            case let .option(option, _):
                if active { apply(option) }
            }
        }
    }

    /// Any pattern matches and no negated one does.
    private func hostMatches(_ patterns: [SSHHostPattern], _ name: String) -> Bool {
        var hit = false
        for p in patterns where SSHPattern.matches(name, p.pattern) {
            if p.negated { return false }
            hit = true
        }
        return hit
    }

    private func matchContext() -> SSHMatchCondition.Context {
        let target = finalPass ? finalHost : state.hostName.map { SSHConfigExpansion.percent($0, ["h": host]) } ?? host
        return .init(host: target, originalHost: host, remoteUser: state.user ?? localUser, localUser: localUser,
                     finalPass: finalPass)
    }

    private mutating func apply(_ option: SSHOption) {
        switch option {
        case let .hostName(v): if state.hostName == nil, !finalPass { state.hostName = v }
        case let .user(v): if state.user == nil { state.user = v }
        case let .port(v): if state.port == nil { state.port = v }
        case let .identityFile(v):
            if !state.identityFiles.contains(v), state.identityFiles.count < Self.maxIdentityFiles {
                state.identityFiles.append(v)
            }
        case let .identitiesOnly(v): if state.identitiesOnly == nil { state.identitiesOnly = v }
        case let .userKnownHostsFiles(v): if state.knownHosts == nil { state.knownHosts = v }
        case let .strictHostKeyChecking(v): if state.strict == nil { state.strict = v }
        case let .connectTimeout(v): if state.connectTimeout == nil { state.connectTimeout = v }
        case let .hostKeyAlias(v): if state.hostKeyAlias == nil { state.hostKeyAlias = v }
        case let .proxyJump(hops):
            // The first of ProxyJump / ProxyCommand wins; a real jump also shuts out a later
            // ProxyCommand, `ProxyJump none` does not (ssh -G, OpenSSH 9.2).
            if state.jump == nil, state.proxyCommand == nil { state.jump = hops }
        case let .proxyCommand(command):
            let shutOut = state.jump.map { !$0.isEmpty } ?? false
            if state.proxyCommand == nil, !shutOut {
                state.proxyCommand = command
                if command.lowercased() != "none" { note("ProxyCommand") }
            }
        case let .canonicalizeHostname(on):
            if state.canonicalize == nil {
                state.canonicalize = on
                if on { note("CanonicalizeHostname") }
            }
        case let .notHonoured(name):
            note(name)
        }
    }

    private mutating func note(_ keyword: String) {
        if !state.ignored.contains(keyword) { state.ignored.append(keyword) }
    }

    private func settings() -> SSHHostSettings {
        let target = finalHost
        let tokens: [Character: String] = [
            "h": target, "p": String(state.port ?? 22), "r": state.user ?? localUser, "u": localUser,
            "d": home, "n": host, "k": state.hostKeyAlias ?? host,
        ]
        let expand = { (path: String) in SSHConfigExpansion.percent(SSHConfigExpansion.tilde(path, home: home), tokens) }
        return SSHHostSettings(
            hostName: state.hostName == nil ? nil : target, user: state.user, port: state.port,
            identityFiles: state.identityFiles.map(expand), identitiesOnly: state.identitiesOnly,
            userKnownHostsFile: state.knownHosts?.first.map(expand), strictHostKeyChecking: state.strict,
            connectTimeout: state.connectTimeout, proxyJump: state.jump ?? [], hostKeyAlias: state.hostKeyAlias,
            ignored: state.ignored)
    }
}
