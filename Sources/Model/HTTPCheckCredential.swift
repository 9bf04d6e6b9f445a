import Foundation

/// The `Authorization` value of a declared HTTP check, made at run time from the environment
/// variable the check names (`basic_auth_env` holding "user:password", or `bearer_env` holding a
/// token). The tunnel runner (Probe) and the host's client (Collect) both take it from here, so
/// both refuse the same values with the same words. A problem names the variable, never its value.
public enum HTTPCheckCredential {
    /// nil when the check names no variable; else the header value or why there is none.
    public static func authorization(_ check: HTTPCheck, environment: [String: String]) -> Result<String, Problem>? {
        if let name = check.basicAuthEnv {
            guard let value = environment[name], !value.isEmpty else { return .failure(.unset(name, key: "basic_auth_env")) }
            guard value.contains(":"), !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                return .failure(Problem(message: "\(name) (basic_auth_env) must hold user:password on one line; the check was not run"))
            }
            return .success("Basic " + Data(value.utf8).base64EncodedString())
        }
        if let name = check.bearerEnv {
            guard let value = environment[name], !value.isEmpty else { return .failure(.unset(name, key: "bearer_env")) }
            guard isToken68(value) else {
                return .failure(Problem(message: "\(name) (bearer_env) holds characters a bearer token cannot have "
                                            + "(letters, digits and -._~+/, then '=' padding); the check was not run"))
            }
            return .success("Bearer " + value)
        }
        return nil
    }

    /// Every form in which the checks' credentials could show up in text (the variable's value,
    /// the password alone, the base64 a Basic header carries), for redaction. Passwords under 3
    /// characters are left out: replacing every "a" would garble messages and hide nothing.
    public static func secrets(_ checks: [HTTPCheck], environment: [String: String]) -> [String] {
        var out: Set<String> = []
        for check in checks {
            for name in [check.basicAuthEnv, check.bearerEnv].compactMap({ $0 }) {
                guard let value = environment[name], !value.isEmpty else { continue }
                out.insert(value)
                out.insert(Data(value.utf8).base64EncodedString())
                if check.basicAuthEnv == name, let colon = value.firstIndex(of: ":") {
                    let password = String(value[value.index(after: colon)...])
                    if password.count >= 3 { out.insert(password) }
                }
            }
        }
        // Longest first, so a secret containing another is replaced whole.
        return out.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// RFC 7235 token68: what a bearer token may hold, so it can never break a header line.
    static func isToken68(_ value: String) -> Bool {
        let body = value.reversed().drop { $0 == "=" }
        guard !body.isEmpty else { return false }
        return body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~+/".contains($0)) }
    }

    /// One line naming the variable and what to do; never the value.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        static func unset(_ name: String, key: String) -> Problem {
            Problem(message: "\(name) (\(key)) is not set in PostPatch's environment: export it before running postpatch; "
                        + "the check was not run")
        }
    }
}
