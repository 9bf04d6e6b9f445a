import Foundation
import Model

/// One `http:` entry of a `checks:` mapping: a URL, what its answer must be, and where the
/// request starts from. Credentials are only ever named (`basic_auth_env`, `bearer_env`);
/// their values are read at run time and never written anywhere.
enum HTTPCheckEntry {
    static let keys = ["name", "url", "status", "contains", "headers", "tls_verify", "ca_file", "via", "timeout",
                       "basic_auth_env", "bearer_env"]
    /// Seconds: more than a few minutes is a hung server, not a slow one.
    static let timeoutRange: ClosedRange<Double> = 0.001...300
    /// Headers PostPatch writes itself: the request is one GET per connection, without a body.
    static let reservedHeaders = ["connection", "content-length", "transfer-encoding"]

    /// The list under `http:`, names distinct within it.
    static func list(_ value: YAMLValue?) throws -> [HTTPCheck] {
        let entries = try value?.entries() ?? []
        let checks = try entries.map(read)
        for (i, check) in checks.enumerated() {
            if let first = checks.firstIndex(where: { $0.name == check.name }), first < i {
                throw entries[i].error("http check name '\(check.name)' is used twice in this list "
                                           + "(first in entry \(first + 1)); give each a distinct 'name'")
            }
        }
        return checks
    }

    static func read(_ value: YAMLValue) throws -> HTTPCheck {
        let map = try value.mapping()
        try refuseInlineCredentials(map)
        try map.requireKnown(keys)
        let nameValue = try map.required("name")
        let name = try nameValue.word()
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw nameValue.error("'name' must be one line of text without control characters")
        }
        let urlValue = try map.required("url")
        let urlText = try urlValue.word()
        if InlineSecrets.urlCarriesPassword(urlText) {
            throw urlValue.error("'url' holds a password: secrets never go in the config file; "
                                     + "name an environment variable holding user:password with 'basic_auth_env'")
        }
        let url: HTTPCheckURL
        do { url = try HTTPCheckURL.parse(urlText) } catch let e as HTTPCheckURL.Invalid {
            throw urlValue.error("'url' \(urlValue.shown) \(e.message)")
        }
        var check = HTTPCheck(name: name, url: urlText)
        check.status = try map["status"]?.integer(in: 100...599)
        if let contains = map["contains"] {
            let text = try contains.word()
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw contains.error("'contains' must be one line of text without control characters "
                                         + "(the host's grep -F would read a newline as a second text)")
            }
            check.contains = text
        }
        if let headers = map["headers"] { check.headers = try self.headers(headers) }
        if let via = map["via"] { check.via = try self.via(via) }
        if let verify = map["tls_verify"] {
            guard url.secure else { throw verify.error("'tls_verify' applies to https:// URLs only") }
            check.tlsVerify = try verify.bool()
        }
        if let caFile = map["ca_file"] { check.caFile = try self.caFile(caFile, secure: url.secure, via: check.via) }
        if let timeout = map["timeout"] { check.timeout = try timeout.seconds(within: timeoutRange) }
        if let basic = map["basic_auth_env"] {
            check.basicAuthEnv = try DatabaseEntry.environmentName(basic, key: "basic_auth_env", example: "WEB_HEALTH_AUTH",
                                                                   secret: "user:password")
        }
        if let bearer = map["bearer_env"] {
            if check.basicAuthEnv != nil {
                throw bearer.error("give either 'basic_auth_env' or 'bearer_env', not both: a request carries one Authorization header")
            }
            check.bearerEnv = try DatabaseEntry.environmentName(bearer, key: "bearer_env", example: "WEB_HEALTH_TOKEN", secret: "token")
        }
        return check
    }

    /// `password:`, `token:`, `api_key:` in an HTTP check: say which key names the variable instead.
    private static func refuseInlineCredentials(_ map: YAMLMapping) throws {
        for entry in map.entries where !keys.contains(entry.key) && InlineSecrets.looksLikeSecret(key: entry.key) {
            throw ConfigError(file: map.file, at: entry.keyLocation,
                              "inline secret \(InlineSecrets.shown(key: entry.key)) \(map.place): secrets never go in the config file; "
                                  + "put user:password in an environment variable and name it with 'basic_auth_env', "
                                  + "or a token with 'bearer_env'")
        }
    }

    /// `headers: { Accept: application/json }`: names are HTTP tokens, values one line.
    private static func headers(_ value: YAMLValue) throws -> [String: String] {
        let map = try value.mapping(duplicate: { "header '\($0)' is given twice (first at \($1))" })
        var out: [String: String] = [:]
        for entry in map.entries {
            let name = entry.key
            let tchar = "!#$%&'*+-.^_`|~"
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || tchar.contains($0)) }) else {
                throw ConfigError(file: map.file, at: entry.keyLocation,
                                  "header name \(InlineSecrets.shown(key: name)) \(map.place) must be an HTTP token "
                                      + "(letters, digits and !#$%&'*+-.^_`|~), like X-Request-Id")
            }
            let lower = name.lowercased()
            if lower == "authorization" || lower == "proxy-authorization" {
                throw ConfigError(file: map.file, at: entry.keyLocation,
                                  "header '\(name)' must not be typed in the file: name an environment variable holding "
                                      + "user:password with 'basic_auth_env', or a token with 'bearer_env'")
            }
            if reservedHeaders.contains(lower) {
                throw ConfigError(file: map.file, at: entry.keyLocation,
                                  "header '\(name)' is set by PostPatch (one GET per connection, no body): remove it")
            }
            if out.keys.contains(where: { $0.lowercased() == lower }) {
                throw ConfigError(file: map.file, at: entry.keyLocation, "header '\(name)' is given twice (names ignore case)")
            }
            let text = try entry.value.text()
            if text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) {
                throw entry.value.error("header '\(name)' must be one line without control characters")
            }
            out[name] = text
        }
        return out
    }

    private static func via(_ value: YAMLValue) throws -> HTTPCheck.Via {
        let text = try value.word()
        guard let via = HTTPCheck.Via(rawValue: text) else {
            let choices = HTTPCheck.Via.allCases.map(\.rawValue)
            throw value.error("'via' must be 'tunnel' (PostPatch asks through the SSH session) or 'host' "
                                  + "(the host's own curl or wget), got \(value.shown)" + Suggestion.hint(for: text, in: choices, listName: "choices"))
        }
        return via
    }

    /// A PEM file on this machine: PostPatch verifies, so `via: tunnel` and https only.
    private static func caFile(_ value: YAMLValue, secure: Bool, via: HTTPCheck.Via) throws -> String {
        guard secure else { throw value.error("'ca_file' applies to https:// URLs only") }
        guard via == .tunnel else {
            throw value.error("'ca_file' applies to 'via: tunnel' only: with 'via: host' the host's own client trusts the host's CA store")
        }
        let text = try value.word()
        if text.hasPrefix("~"), text != "~", !text.hasPrefix("~/") {
            throw value.error("'ca_file': only '~/' is expanded (to $HOME); write '\(text)' as a full path")
        }
        let path = ConfigFile.expandTilde(text, home: ConfigFile.homeDirectory())
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: path) else {
            throw value.error("'ca_file' \(value.shown) is not a readable file on this machine: "
                                  + "give the path of a PEM file of CA certificates")
        }
        return path
    }
}

extension ConfigFile {
    /// Two HTTP checks of one name reaching one host (a global one and a group's) would make
    /// their findings indistinguishable: each host's merged list must name each check once.
    func checkHTTPCheckNames() throws {
        let byName = Dictionary(groups.map { ($0.name.name, $0) }, uniquingKeysWith: { a, _ in a })
        for host in hosts {
            var seen: [String: String] = [:]
            var levels: [(String, [HTTPCheck])] = [("the global checks", global.checks.http)]
            for group in host.groups {
                if let entry = byName[group.name] { levels.append(("group '\(group.name)'", entry.level.checks.http)) }
            }
            levels.append(("host '\(host.name.name)'", host.level.checks.http))
            for (origin, checks) in levels {
                for check in checks {
                    if let first = seen[check.name] {
                        throw ConfigError(file: path, at: host.name.location,
                                          "http check '\(check.name)' reaches host '\(host.name.name)' twice (from \(first) "
                                              + "and from \(origin)): give each a distinct name")
                    }
                    seen[check.name] = origin
                }
            }
        }
    }
}
