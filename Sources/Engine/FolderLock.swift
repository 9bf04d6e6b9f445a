import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a folder (`.postpatch.lock` inside it), so two runs never write the
/// same baselines at once. The second run waits, saying so, then gives up after `wait`.
public final class FolderLock: @unchecked Sendable {
    private let fd: Int32
    public let path: String

    public struct Busy: Error, CustomStringConvertible {
        public var path: String
        public var holder: String
        public var description: String {
            "another postpatch run (\(holder)) holds \(path): wait for it to finish, or remove the file if that run is gone"
        }
    }

    /// Takes the lock, polling; `waiting` is called once if the lock is busy at first.
    public static func acquire(folder: String, wait: Duration, waiting: (String) -> Void) async throws -> FolderLock {
        let path = folder + "/.postpatch.lock"
        let fd = try openLockFile(path)
        let deadline = ContinuousClock.now + wait
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = holderText(fd)
            if ContinuousClock.now >= deadline {
                close(fd)
                throw Busy(path: path, holder: holder)
            }
            if !told {
                waiting("waiting for another postpatch run (\(holder)) holding \(path)")
                told = true
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        ftruncate(fd, 0)
        let me = "pid \(getpid())\n"
        _ = pwrite(fd, me, me.utf8.count, 0)
        return FolderLock(fd: fd, path: path)
    }

    /// The lock file, only ever a regular file: never followed through a symlink (as root, a
    /// link to a device would get "pid N" written into it), never a FIFO that would block.
    private static func openLockFile(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symlink; the lock file is a regular file: remove the link"
                : String(cString: strerror(errno))
            throw AtomicFile.WriteError(path: path, reason: reason)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw AtomicFile.WriteError(path: path, reason: "it is not a regular file; the lock file is one: remove what is there")
        }
        return fd
    }

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { release() }

    private var released = false
    public func release() {
        guard !released else { return }
        released = true
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func holderText(_ fd: Int32) -> String {
        var buf = [UInt8](repeating: 0, count: 64)
        let n = pread(fd, &buf, buf.count, 0)
        let text = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "unknown pid" : text
    }
}
