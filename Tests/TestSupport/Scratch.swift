import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports, temp dirs and passwords for the things a test starts.
extension LabProcess {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let bound = try LoopbackSocket.open(.tcp)
        close(bound.fd)
        return bound.port
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port` (blocking; loopback
    /// connects complete or are refused at once).
    public static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return (try? LoopbackSocket.withAddress("127.0.0.1", port: port) { connect(fd, $0, $1) == 0 }) ?? false
    }

    /// A new directory /tmp/postpatch-lab-<name>-XXXXXX, mode 0755 so servers that drop
    /// privileges (dnsmasq, postgres) can still read what we put there.
    public static func makeTempDir(_ name: String) throws -> URL {
        var template = Array("/tmp/postpatch-lab-\(name)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw LabError("cannot create a temp dir for \(name): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Hands `path` to a system user (postgres refuses to run as root).
    public static func chown(_ path: String, to user: String) throws {
        guard let entry = getpwnam(user) else { throw LabError("user \(user) does not exist") }
        guard Glibc.chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw LabError("chown \(path) to \(user): \(String(cString: strerror(errno)))")
        }
    }

    /// A random password for lab servers: letters and digits, so it survives any config syntax.
    public static func randomPassword(length: Int = 24) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<length).map { _ in alphabet.randomElement() ?? "x" })
    }
}
