import Foundation
import TestSupport

extension Lab {
    /// Starts OpenSSH's sshd on 127.0.0.1 with fresh host keys, accepting `authorizedKeys`
    /// for the lab user. `maxStartups` is raised so load tests are not dropped past 10
    /// unauthenticated connections (sshd's default `10:30:100`). Its log is
    /// `<lab dir>/sshd-<port>/sshd.log`, at `logLevel` (INFO shows how every connection ended).
    public func startSSHD(authorizedKeys: [KeyPair], hostKeyTypes: [String] = ["ed25519"],
                          password: Bool = false, maxStartups: String = "1000:30:1000",
                          extraConfig: String = "", logLevel: String = "ERROR") throws -> SSHServerInfo {
        let port = Lab.freePort()
        let sd = "\(dir)/sshd-\(port)"
        try FileManager.default.createDirectory(atPath: sd, withIntermediateDirectories: true)
        var hostKeys: [String] = []
        var keyLines = ""
        for t in hostKeyTypes {
            let path = "\(sd)/ssh_host_\(t)_key"
            let r = try LabProcess.runBlocking("/usr/bin/ssh-keygen", ["-q", "-t", t, "-f", path, "-N", ""] + (t == "rsa" ? ["-b", "2048"] : []))
            guard r.status == 0 else { throw LabError("host key \(t): \(r.stderr)") }
            hostKeys.append(try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " "))
            keyLines += "HostKey \(path)\n"
        }
        try authorizedKeys.map(\.publicLine).joined(separator: "\n").appending("\n")
            .write(toFile: "\(sd)/authorized_keys", atomically: true, encoding: .utf8)
        let config = """
        Port \(port)
        ListenAddress 127.0.0.1
        \(keyLines)PidFile \(sd)/sshd.pid
        AuthorizedKeysFile \(sd)/authorized_keys
        StrictModes no
        UsePAM no
        PasswordAuthentication \(password ? "yes" : "no")
        KbdInteractiveAuthentication no
        PermitRootLogin no
        AllowUsers \(Lab.user)
        MaxStartups \(maxStartups)
        MaxSessions 64
        PerSourceMaxStartups none
        LoginGraceTime 30
        LogLevel \(logLevel)
        AllowTcpForwarding yes
        \(extraConfig)

        """
        try config.write(toFile: "\(sd)/sshd_config", atomically: true, encoding: .utf8)
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let check = try LabProcess.runBlocking("/usr/sbin/sshd", ["-t", "-f", "\(sd)/sshd_config"])
        guard check.status == 0 else { throw LabError("sshd -t: \(check.stderr)") }
        try spawn("/usr/sbin/sshd", ["-D", "-e", "-f", "\(sd)/sshd_config"], log: "\(sd)/sshd.log")
        try Lab.waitForPort(port)
        return SSHServerInfo(host: "127.0.0.1", port: port, hostKeys: hostKeys, kind: "openssh")
    }

    /// Starts Dropbear on 127.0.0.1. Dropbear reads the user's ~/.ssh/authorized_keys,
    /// so the lab user's file is rewritten with `authorizedKeys`.
    public func startDropbear(authorizedKeys: [KeyPair], hostKeyType: String = "ed25519") throws -> SSHServerInfo {
        let port = Lab.freePort()
        let dd = "\(dir)/dropbear-\(port)"
        try FileManager.default.createDirectory(atPath: dd, withIntermediateDirectories: true)
        let keyPath = "\(dd)/dropbear_\(hostKeyType)_host_key"
        let gen = try LabProcess.runBlocking("/usr/bin/dropbearkey", ["-t", hostKeyType, "-f", keyPath])
        guard gen.status == 0 else { throw LabError("dropbearkey: \(gen.stderr)") }
        let pub = gen.stdout.split(separator: "\n").first { $0.hasPrefix("ssh-") || $0.hasPrefix("ecdsa-") }
            .map { $0.split(separator: " ").prefix(2).joined(separator: " ") } ?? ""
        try Lab.installAuthorizedKeys(authorizedKeys)
        try spawn("/usr/sbin/dropbear", ["-F", "-E", "-p", "127.0.0.1:\(port)", "-r", keyPath, "-P", "\(dd)/dropbear.pid"],
                  log: "\(dd)/dropbear.log")
        try Lab.waitForPort(port)
        return SSHServerInfo(host: "127.0.0.1", port: port, hostKeys: [pub], kind: "dropbear")
    }

    /// Writes the lab user's ~/.ssh/authorized_keys (owned by the user, 0600).
    static func installAuthorizedKeys(_ keys: [KeyPair]) throws {
        let ssh = Lab.userHome + "/.ssh"
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        let file = ssh + "/authorized_keys"
        try keys.map(\.publicLine).joined(separator: "\n").appending("\n").write(toFile: file, atomically: true, encoding: .utf8)
        guard let pw = getpwnam(Lab.user) else { throw LabError("no user \(Lab.user)") }
        chown(ssh, pw.pointee.pw_uid, pw.pointee.pw_gid)
        chown(file, pw.pointee.pw_uid, pw.pointee.pw_gid)
        chmod(ssh, 0o700)
        chmod(file, 0o600)
    }

    /// Sets the lab user's password (for password-auth tests); fed to chpasswd on stdin.
    public static func setUserPassword(_ password: String) throws {
        let r = try LabProcess.runBlocking("/usr/sbin/chpasswd", [], input: "\(user):\(password)\n")
        guard r.status == 0 else { throw LabError("chpasswd: \(r.stderr)") }
    }

    /// Starts ssh-agent on a socket in the lab folder holding `keys`; returns the socket path.
    public func startAgent(keys: [KeyPair]) throws -> String {
        let sock = "\(dir)/agent.sock"
        try spawn("/usr/bin/ssh-agent", ["-D", "-a", sock], log: "\(dir)/agent.log")
        try waitUntilBlocking("ssh-agent's socket \(sock)", timeout: .seconds(10), poll: .milliseconds(20)) {
            FileManager.default.fileExists(atPath: sock)
        }
        for k in keys {
            let r = try LabProcess.runBlocking("/usr/bin/ssh-add", [k.privatePath], env: ["SSH_AUTH_SOCK": sock])
            guard r.status == 0 else { throw LabError("ssh-add: \(r.stderr)") }
        }
        return sock
    }
}
