import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file by what is there (STYLE "Write by kind"). A regular file or a new name: a temp
/// file in the same folder, fsync, rename over the target, fsync the folder, so readers see the
/// old content or the new, never a torn mix. A FIFO, a character device or `/dev/stdout`: written
/// through, never replaced (run as root, a rename over `/dev/full` would turn the device into a
/// file). A directory, a block device or a socket: refused, nothing written.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason) (the previous file, if any, is untouched)" }
    }

    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        guard !path.isEmpty else { throw WriteError(path: "''", reason: "the file name is empty") }
        switch try WriteTarget.of(path) {
        case let .replace(target): try replace(data, at: target, mode: mode, shown: path)
        case let .descriptor(fd): try through(data, fd: fd, path: path)
        case .open: try writeThrough(data, to: path)
        }
    }

    /// Temp file + rename; `target` is `path` with any symlink to a regular file resolved, so the
    /// link stays a link.
    private static func replace(_ data: Data, at target: String, mode: mode_t, shown path: String) throws {
        let (dir, name) = split(target)
        let tmp = "\(dir)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError(path: path, reason: errnoText()) }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        let e = writeAll(fd, [UInt8](data))
        guard e == 0, fsync(fd) == 0 else {
            let reason = String(cString: strerror(e != 0 ? e : errno))
            close(fd)
            throw WriteError(path: path, reason: reason)
        }
        close(fd)
        guard rename(tmp, target) == 0 else { throw WriteError(path: path, reason: errnoText()) }
        ok = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// The folder and the last component, without Foundation's path helpers: "r" is "." and "r".
    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    /// A FIFO or a character device, opened as it is. A FIFO nobody reads yet gets a few
    /// seconds for its reader, then an error: a report never blocks a run forever.
    private static func writeThrough(_ data: Data, to path: String) throws {
        var fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        var waited = 0
        while fd < 0 && errno == ENXIO && waited < 50 {
            usleep(100_000)
            waited += 1
            fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        }
        guard fd >= 0 else {
            let reason = errno == ENXIO ? "no process reads this FIFO (start its reader first)" : errnoText()
            throw WriteError(path: path, reason: reason)
        }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        try through(data, fd: fd, path: path)
    }

    private static func through(_ data: Data, fd: Int32, path: String) throws {
        let e = writeAll(fd, [UInt8](data))
        guard e == 0 else { throw WriteError(path: path, reason: String(cString: strerror(e)) + " (written through, not replaced)") }
    }

    /// Every byte, or the errno that stopped the write (0 when all were written).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
