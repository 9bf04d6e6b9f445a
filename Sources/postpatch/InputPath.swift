import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A path a person gave for PostPatch to read (`--config`, `--inventory`, `-F`, a snapshot),
/// checked up front: an empty string, a directory, a FIFO or a device is named for what it is
/// (reading a FIFO would block; as root, "check its permissions" would be wrong). A missing file
/// is left to the reader of that file, which says so in its own words.
enum InputPath {
    /// The problem with `path` given as `option`, or nil. `folders` accepts a directory too.
    static func problem(_ path: String?, _ option: String, folders: Bool = false) -> String? {
        guard let path else { return nil }
        guard !path.isEmpty else { return "\(option) is empty: give a file path" }
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { return nil }
            return "\(option) \(shown(path)): \(String(cString: strerror(e)))"
        }
        let what: String
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR:
            if folders { return nil }
            what = "is a directory, not a file: give the file in it"
        case S_IFIFO: what = "is a FIFO (named pipe), not a file: save what it gives to a file and name that"
        case S_IFCHR: what = "is a character device, not a file: give a file"
        case S_IFBLK: what = "is a block device, not a file: give a file"
        default: what = "is a socket, not a file: give a file"
        }
        return "\(option) \(shown(path)) \(what)"
    }

    /// For `validate()`: the first problem as a usage error.
    static func check(_ problems: String?...) throws { try check(problems) }

    static func check(_ problems: [String?]) throws {
        if let first = problems.compactMap({ $0 }).first { throw ValidationError(first) }
    }

    /// A path as a message shows it: at most 200 characters.
    static func shown(_ path: String) -> String {
        path.count <= 200 ? path : String(path.prefix(120)) + "... (\(path.count) characters)"
    }
}

/// A path PostPatch writes a report to, checked up front (AtomicFile checks it again when it
/// writes): a directory, a block device or a socket is never a report.
enum OutputPath {
    static func problem(_ path: String?, _ option: String) -> String? {
        guard let path else { return nil }
        guard !path.isEmpty else { return "\(option) is empty: give a file path" }
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return "\(option) \(InputPath.shown(path)) is a directory: give a file name in it"
        case S_IFBLK: return "\(option) \(InputPath.shown(path)) is a block device (a disk): give a file name"
        case S_IFSOCK: return "\(option) \(InputPath.shown(path)) is a socket: give a file name"
        default: return nil
        }
    }
}
