import Foundation
import TestSupport

/// A user key pair generated for one lab.
public struct KeyPair: Sendable {
    public var privatePath: String
    public var publicLine: String
    public var type: String
}

extension Lab {
    /// `ssh-keygen -t type` into the lab folder; `passphrase` "" for none.
    /// The passphrase goes through ssh-keygen's -N argument: acceptable for a throwaway test key only.
    public func makeKey(_ type: String, name: String? = nil, passphrase: String = "") throws -> KeyPair {
        let path = "\(dir)/\(name ?? "id_\(type)")"
        var args = ["-q", "-t", type, "-f", path, "-N", passphrase, "-C", "postpatch-lab-\(type)"]
        if type == "rsa" { args += ["-b", "2048"] }
        let r = try LabProcess.runBlocking("/usr/bin/ssh-keygen", args)
        guard r.status == 0 else { throw LabError("ssh-keygen -t \(type): \(r.stderr)") }
        let pub = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return KeyPair(privatePath: path, publicLine: pub, type: type)
    }

    /// Writes a known_hosts file for `server`, entries as OpenSSH writes them: `[127.0.0.1]:port type key`.
    public func knownHosts(for servers: [SSHServerInfo], name: String = "known_hosts", hashed: Bool = false) throws -> String {
        let path = "\(dir)/\(name)"
        var text = ""
        for s in servers {
            for key in s.hostKeys {
                let parts = key.split(separator: " ")
                text += "[\(s.host)]:\(s.port) \(parts[0]) \(parts[1])\n"
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if hashed {
            let r = try LabProcess.runBlocking("/usr/bin/ssh-keygen", ["-H", "-f", path])
            guard r.status == 0 else { throw LabError("ssh-keygen -H: \(r.stderr)") }
        }
        return path
    }
}

/// What a test needs to reach a lab SSH server.
public struct SSHServerInfo: Sendable {
    public var host: String
    public var port: Int
    /// "type base64" lines of the server's host keys.
    public var hostKeys: [String]
    public var kind: String

    public init(host: String, port: Int, hostKeys: [String], kind: String) {
        self.host = host
        self.port = port
        self.hostKeys = hostKeys
        self.kind = kind
    }
}
