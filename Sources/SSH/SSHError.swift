/// Everything that can go wrong talking to one host, each with the next step for the user.
/// `description` is one line: it names the host, what happened and what to do.
public enum SSHError: Error, CustomStringConvertible, Sendable, Equatable {
    case resolve(host: String, reason: String)
    case connectRefused(endpoint: String)
    case connectTimeout(endpoint: String, seconds: Double)
    case connectFailed(endpoint: String, reason: String)
    case handshake(endpoint: String, reason: String)
    case hostKeyUnknown(endpoint: String, keyType: String, fingerprint: String, knownHosts: String)
    case hostKeyChanged(endpoint: String, keyType: String, fingerprint: String, knownHosts: String, line: Int)
    case hostKeyRevoked(endpoint: String, fingerprint: String, knownHosts: String, line: Int)
    case knownHostsUnreadable(path: String, reason: String)
    case authFailed(endpoint: String, user: String, tried: [String], serverAccepts: String, rsaRefused: Bool)
    case identityUnreadable(path: String, reason: String)
    case passphraseWrong(path: String)
    case channel(endpoint: String, reason: String)
    case commandTimeout(endpoint: String, seconds: Double)
    case outputCap(endpoint: String, limit: Int)
    case sessionLost(endpoint: String, reason: String)
    case tunnel(endpoint: String, target: String, reason: String)
    case tunnelTimeout(endpoint: String, target: String)
    case closed(endpoint: String)
    case interrupted(endpoint: String)

    public var description: String {
        switch self {
        case let .resolve(host, reason):
            return "\(host): cannot resolve name (\(reason)): check the host name or its DNS"
        case let .connectRefused(ep):
            return "\(ep): connection refused: is sshd running and listening on that port?"
        case let .connectTimeout(ep, s):
            return "\(ep): no answer within \(Self.seconds(s)) (connect timeout): check the address, firewall, or raise --connect-timeout"
        case let .connectFailed(ep, reason):
            return "\(ep): cannot connect: \(reason)"
        case let .handshake(ep, reason):
            return "\(ep): SSH handshake failed: \(reason)"
        case let .hostKeyUnknown(ep, type, fp, kh):
            return "\(ep): host key not known (\(type) \(fp)) in \(kh): verify the fingerprint out of band, then rerun with --accept-new-host-keys to record it"
        case let .hostKeyChanged(ep, type, fp, kh, line):
            return "\(ep): HOST KEY CHANGED, possible man-in-the-middle: server offers \(type) \(fp), \(kh):\(line) holds another key; if the host was reinstalled, remove that line (ssh-keygen -R) and verify the new key"
        case let .hostKeyRevoked(ep, fp, kh, line):
            return "\(ep): host key \(fp) is marked @revoked in \(kh):\(line): refusing to connect"
        case let .knownHostsUnreadable(path, reason):
            return "known_hosts file \(path) cannot be read (\(reason)): fix its permissions or pass --known-hosts FILE"
        case let .authFailed(ep, user, tried, accepts, rsa):
            var s = "\(ep): authentication failed for user \(user) (tried: \(tried.isEmpty ? "nothing" : tried.joined(separator: ", ")); server accepts: \(accepts))"
            if rsa {
                s += "; an RSA key was refused: libssh2 1.10 signs only with ssh-rsa (SHA-1), which OpenSSH 8.8+ rejects: use an Ed25519 or ECDSA key (ssh-keygen -t ed25519)"
            } else {
                s += ": check the user, -i/--identity, the agent (SSH_AUTH_SOCK) or --password-env"
            }
            return s
        case let .identityUnreadable(path, reason):
            return "identity file \(path): \(reason)"
        case let .passphraseWrong(path):
            return "identity file \(path): wrong passphrase or unsupported key format: check the variable named by --passphrase-env"
        case let .channel(ep, reason):
            return "\(ep): cannot run the command: \(reason)"
        case let .commandTimeout(ep, s):
            return "\(ep): command still running after \(Self.seconds(s)) (command timeout): it was ended; raise --command-timeout if it needs longer"
        case let .outputCap(ep, limit):
            return "\(ep): command output passed the cap of \(Self.bytes(limit)): it was ended; raise --output-cap if that much output is expected"
        case let .sessionLost(ep, reason):
            return "\(ep): connection lost: \(reason)"
        case let .tunnel(ep, target, reason):
            return "\(ep): cannot open a tunnel to \(target): \(reason)"
        case let .tunnelTimeout(ep, target):
            return "\(ep): tunnel to \(target) timed out"
        case let .closed(ep):
            return "\(ep): session already closed"
        case let .interrupted(ep):
            return "\(ep): interrupted"
        }
    }

    /// True when the host answered but the login was refused or could not be attempted (a key
    /// refused, a wrong passphrase, an unreadable key): a credentials problem, not the network.
    public var isLoginFailure: Bool {
        switch self {
        case .authFailed, .passphraseWrong, .identityUnreadable: return true
        default: return false
        }
    }

    /// True for errors that mean the host could not be reached or logged into (exit code 3).
    public var isUnreachable: Bool {
        switch self {
        case .commandTimeout, .outputCap, .channel, .tunnel, .tunnelTimeout, .interrupted: return false
        default: return true
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    static func bytes(_ n: Int) -> String {
        n % (1 << 20) == 0 ? "\(n >> 20) MiB" : "\(n) bytes"
    }
}
