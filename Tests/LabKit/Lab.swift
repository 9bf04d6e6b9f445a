import Foundation
import TestSupport

/// A throwaway lab for one test: a temp folder, keys generated per run, and real servers
/// (OpenSSH sshd, Dropbear, ssh-agent) on loopback that are killed when the lab is stopped.
public final class Lab: @unchecked Sendable {
    /// The unprivileged login user, shell /bin/sh, made by scripts/test (or here, if missing).
    public static let user = "pplab"

    public let dir: String
    private var processes: [LabChild] = []
    private let lock = NSLock()

    public init() throws {
        dir = NSTemporaryDirectory() + "postpatch-lab-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o755)
        try Lab.ensureUser()
    }

    deinit { stop() }

    /// Kills every server this lab started and removes its folder.
    public func stop() {
        let procs = lock.withLock { () -> [LabChild] in
            defer { processes.removeAll() }
            return processes
        }
        for p in procs { p.signal(SIGTERM) }
        for p in procs where !p.waitForExit(timeout: .seconds(5)) {
            p.signal(SIGKILL)
            _ = p.waitForExit(timeout: .seconds(5))
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    func track(_ p: LabChild) { lock.withLock { processes.append(p) } }

    /// Makes the lab login user if it does not exist (tests run as root).
    static func ensureUser() throws {
        if getpwnam(user) == nil {
            let r = try LabProcess.runBlocking("/usr/sbin/useradd", ["-m", "-s", "/bin/sh", user])
            guard r.status == 0 || getpwnam(user) != nil else {
                throw LabError("cannot create lab user \(user): \(r.stderr); run scripts/test as root")
            }
        }
        // useradd leaves the password "!" (locked); sshd without PAM refuses locked accounts
        // even for key logins. "*" means "no password" without locking.
        let shadow = (try? String(contentsOfFile: "/etc/shadow", encoding: .utf8)) ?? ""
        if shadow.split(separator: "\n").contains(where: { $0.hasPrefix("\(user):!") }) {
            _ = try LabProcess.runBlocking("/usr/sbin/usermod", ["-p", "*", user])
        }
    }

    /// The lab user's home (Dropbear reads ~/.ssh/authorized_keys there).
    public static var userHome: String {
        guard let pw = getpwnam(user) else { return "/home/\(user)" }
        return String(cString: pw.pointee.pw_dir)
    }

    /// A TCP port free on 127.0.0.1 right now.
    public static func freePort() -> Int { (try? LabProcess.freePort()) ?? 0 }

    /// Waits until something accepts TCP connections on 127.0.0.1:port.
    public static func waitForPort(_ port: Int, timeout: TimeInterval = 15) throws {
        try waitUntilBlocking("something to listen on 127.0.0.1:\(port)", timeout: .seconds(timeout)) {
            LabProcess.isListening(port: port)
        }
    }

    /// Starts a long-running server process tracked by the lab (stdout and stderr to `log`).
    @discardableResult
    public func spawn(_ path: String, _ args: [String], log: String) throws -> LabChild {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw LabError("\(path) is not installed: run scripts/test, which installs the lab's Debian packages")
        }
        let child = try LabProcess.spawn(path, args, log: URL(fileURLWithPath: log))
        track(child)
        return child
    }
}

extension Lab {
    /// Waits until something accepts TCP connections on [::1]:port.
    public static func waitForPortV6(_ port: Int, timeout: TimeInterval = 15) throws {
        try waitUntilBlocking("something to listen on [::1]:\(port)", timeout: .seconds(timeout)) {
            let s = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            addr.sin6_port = in_port_t(UInt16(port).bigEndian)
            addr.sin6_addr = in6addr_loopback
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
            close(s)
            return rc == 0
        }
    }
}
