import Foundation
import Model

/// Pure parsers of the accounts section's steps: never throw, bounded.
enum AccountsParser {
    static let userLimit = 5000
    static let keyLimit = 5000

    struct Users {
        var accounts = Accounts()
        var notes: [String] = []
        var noShadow = false
        var unreadableKeys: [String] = []
    }

    /// The users step: `user NAME UID SHELL`, `group NAME MEMBERS`, `shadow NAME STATE`,
    /// `noshadow`, `keyfile USER PATH`, `unreadable USER PATH`, `key PATH LINE` (tab-separated).
    static func users(_ text: String) -> Users {
        var out = Users()
        var users: [String: LocalAccount] = [:]
        var shadow: [String: String] = [:]
        var keyFileUser: [String: String] = [:]
        var keys = Set<String>()
        var odd = 0
        for raw in text.split(separator: "\n").prefix(userLimit * 2 + keyLimit * 2) {
            let parts = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch parts.first {
            case "noshadow": out.noShadow = true
            case "user" where parts.count == 4:
                guard let uid = Int(parts[2]), !parts[1].isEmpty else { odd += 1; continue }
                users[parts[1]] = LocalAccount(name: parts[1], uid: uid, shell: parts[3])
            case "group" where parts.count == 3:
                let members = parts[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                out.accounts.groups.append(PrivilegedGroup(name: parts[1], members: members))
            case "shadow" where parts.count == 3: shadow[parts[1]] = parts[2]
            case "keyfile" where parts.count == 3: keyFileUser[parts[2]] = parts[1]
            case "unreadable" where parts.count == 3: out.unreadableKeys.append(parts[2])
            case "key" where parts.count >= 3:
                guard let user = keyFileUser[parts[1]], let key = fingerprint(parts[2...].joined(separator: "\t")) else { odd += 1; continue }
                let id = user + " " + key.fingerprint
                if keys.insert(id).inserted {
                    out.accounts.authorizedKeys.append(AuthorizedKey(user: user, type: key.type, fingerprint: key.fingerprint))
                }
            default: odd += 1
            }
        }
        for name in users.keys { users[name]?.password = out.noShadow ? nil : (shadow[name] ?? "none") }
        out.accounts.users = users.values.sorted { $0.name < $1.name }
        out.accounts.groups.sort { $0.name < $1.name }
        out.accounts.authorizedKeys.sort { $0.sortKey < $1.sortKey }
        if odd > 0 { out.notes.append("accounts: \(odd) line\(odd == 1 ? "" : "s") not understood") }
        return out
    }

    static let keyTypes: Set<String> = ["ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                        "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"]

    /// An authorized_keys line (options first or not) as OpenSSH fingerprints it: "SHA256:" and
    /// the unpadded base64 of the SHA-256 of the decoded key blob.
    static func fingerprint(_ line: String) -> (type: String, fingerprint: String)? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let i = words.firstIndex(where: { keyTypes.contains($0) || $0.hasPrefix("ssh-") && $0.hasSuffix("-cert-v01@openssh.com") }),
              i + 1 < words.count, let blob = Data(base64Encoded: words[i + 1]), !blob.isEmpty else { return nil }
        let digest = Data(SHA256.digest([UInt8](blob))).base64EncodedString()
        return (words[i], "SHA256:" + digest.replacingOccurrences(of: "=", with: ""))
    }

    /// md5sum's `HEX  PATH` lines.
    static func md5sums(_ text: String) -> [FileDigest] {
        text.split(separator: "\n").prefix(1000).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 32, parts[0].allSatisfy(\.isHexDigit) else { return nil }
            let path = parts[1].hasPrefix(" ") ? String(parts[1].dropFirst()) : String(parts[1])
            return FileDigest(path: path, digest: "md5:" + parts[0].lowercased())
        }.sorted { $0.path < $1.path }
    }

    /// `sshd -T`'s `key value` lines for the settings kept.
    static func sshd(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").prefix(500) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, Accounts.sshdSettings.contains(String(parts[0])) else { continue }
            out[String(parts[0])] = String(parts[1].prefix(300))
        }
        return out
    }
}
