#if canImport(Glibc)
import Glibc
#endif

/// What a path to be written names, and so how AtomicFile writes it.
enum WriteTarget: Equatable {
    /// A regular file (through any symlinks: the resolved path) or a new name: temp + rename.
    case replace(String)
    /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: this process's open file,
    /// written at its offset (a `> file` redirection keeps what was printed before).
    case descriptor(Int32)
    /// A FIFO or a character device: opened and written through.
    case open

    static func of(_ path: String) throws -> WriteTarget {
        if let fd = descriptor(path) {
            guard fcntl(fd, F_GETFD) >= 0 else {
                throw AtomicFile.WriteError(path: path, reason: "file descriptor \(fd) is not open in this process")
            }
            return .descriptor(fd)
        }
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return .replace(path) }
            throw AtomicFile.WriteError(path: path, reason: AtomicFile.errnoText())
        }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard stat(path, &st) == 0 else {
                // A dangling link: created through it, as a shell's `>` would.
                if errno == ENOENT { return .open }
                throw AtomicFile.WriteError(path: path, reason: AtomicFile.errnoText())
            }
            if (st.st_mode & S_IFMT) == S_IFREG {
                guard let real = realpath(path, nil) else { throw AtomicFile.WriteError(path: path, reason: AtomicFile.errnoText()) }
                defer { free(real) }
                return .replace(String(cString: real))
            }
        }
        return try byKind(st.st_mode & S_IFMT, path: path)
    }

    private static func byKind(_ kind: mode_t, path: String) throws -> WriteTarget {
        switch kind {
        case S_IFREG: return .replace(path)
        case S_IFIFO, S_IFCHR: return .open
        case S_IFDIR: throw AtomicFile.WriteError(path: path, reason: "it is a directory: give a file name, e.g. \(path.hasSuffix("/") ? path : path + "/")report")
        case S_IFBLK: throw AtomicFile.WriteError(path: path, reason: "it is a block device (a disk): give a file name")
        default: throw AtomicFile.WriteError(path: path, reason: "it is a socket: give a file name")
        }
    }

    /// The descriptor a `/dev/stdout`-style path names, or nil.
    static func descriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if !rest.isEmpty, rest.count < 10, rest.allSatisfy(\.isASCII), let n = Int32(rest) { return n }
        }
        return nil
    }
}
