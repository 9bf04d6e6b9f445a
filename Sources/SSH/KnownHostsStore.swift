import Foundation

/// The known_hosts file shared by every session of a run: read once, consulted from the
/// poller threads, appended to (mode 0600) when `acceptNew` records a first-seen key.
public final class KnownHostsStore: @unchecked Sendable {
    public let path: String
    public let acceptNew: Bool
    private let lock = NSLock()
    private var file: KnownHosts

    /// Reads `path`; a missing file is an empty one (created on the first accepted key).
    public init(path: String, acceptNew: Bool) throws {
        self.path = path
        self.acceptNew = acceptNew
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "unreadable"
                throw SSHError.knownHostsUnreadable(path: path, reason: reason)
            }
            file = KnownHosts.parse(String(decoding: data, as: UTF8.self), path: path)
        } else {
            file = KnownHosts(path: path)
        }
    }

    public var malformedLines: [Int] { lock.withLock { file.malformedLines } }

    func keyTypes(for name: String) -> [String] { lock.withLock { file.keyTypes(for: name) } }

    /// Checks the offered key; records it when unknown and `acceptNew` is set.
    func check(endpoint: String, name: String, keyBlob: [UInt8]) throws {
        try lock.withLock {
            let type = KnownHosts.keyType(ofBlob: keyBlob) ?? "unknown"
            let fp = Digest.fingerprint(ofKeyBlob: keyBlob)
            switch file.verify(name: name, keyBlob: keyBlob) {
            case .known:
                return
            case let .changed(line):
                throw SSHError.hostKeyChanged(endpoint: endpoint, keyType: type, fingerprint: fp, knownHosts: path, line: line)
            case let .revoked(line):
                throw SSHError.hostKeyRevoked(endpoint: endpoint, fingerprint: fp, knownHosts: path, line: line)
            case .unknown:
                guard acceptNew else {
                    throw SSHError.hostKeyUnknown(endpoint: endpoint, keyType: type, fingerprint: fp, knownHosts: path)
                }
                let line = "\(name) \(type) \(Data(keyBlob).base64EncodedString())\n"
                try append(line)
                file.append(.init(line: -1, marker: .none, patterns: name, keyType: type, keyBlob: keyBlob))
            }
        }
    }

    private func append(_ line: String) throws {
        // Not NSString's deletingLastPathComponent: it traps on a one-character name ("k").
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SSHError.knownHostsUnreadable(path: path, reason: "cannot append: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // A file that does not end in a newline would glue our entry to its last line.
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, off_t(st.st_size - 1)) == 1, last != 0x0A { _ = write(fd, "\n", 1) }
        }
        let bytes = Array(line.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw SSHError.knownHostsUnreadable(path: path, reason: "cannot append: \(String(cString: strerror(errno)))")
        }
    }
}
