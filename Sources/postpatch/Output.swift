import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// stdout and stderr, written with write(2) so a closed or full output is an answer, not a trap
/// (FileHandle's write dies on EPIPE and ENOSPC). SIGPIPE is ignored (Main), so a reader that
/// went away is EPIPE here: like `yes | head -1`, the run stops printing and ends as it would
/// have, quietly. Any other failure (`> /dev/full`) is one line naming stdout, exit 4.
enum Output {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var stdoutClosed = false

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 { AtomicFile.writeAll(fd, bytes) }

    static func out(_ bytes: [UInt8]) {
        let failure: Int32 = lock.withLock {
            if stdoutClosed { return 0 }
            let e = writeAll(1, bytes)
            if e == EPIPE { stdoutClosed = true; return 0 }
            return e
        }
        if failure != 0 { failStdout(failure) }
    }

    /// Flushes what `print` (ArgumentParser's help, stdio) left in the C buffer, with the same rule.
    static func flushStdout() {
        guard fflush(stdout) != 0 else { return }
        let e = errno
        if e != EPIPE { failStdout(e) }
    }

    private static func failStdout(_ e: Int32) -> Never {
        err(Array("postpatch: cannot write to stdout: \(String(cString: strerror(e))) (redirect it to a file with room, or a pipe)\n".utf8))
        _exit(4)
    }

    /// stderr has no one left to tell when it fails: what was not written is dropped.
    static func err(_ bytes: [UInt8]) { _ = writeAll(2, bytes) }
}

/// One line on stderr; a line made long by a value echoed in it (a 10,000-character path) is
/// cut in its middle, so the message stays readable and still says what is wrong.
func printError(_ text: String) {
    var line = text.replacingOccurrences(of: "\n", with: " ")
    if line.count > 600 {
        line = String(line.prefix(300)) + "...(\(line.count - 500) characters cut)..." + String(line.suffix(200))
    }
    Output.err(Array(("postpatch: " + line + "\n").utf8))
}

/// A progress or summary line on stderr, as is (no "postpatch:" prefix).
func writeErr(_ text: String) {
    Output.err(Array(text.utf8))
}

func writeOut(_ text: String) {
    Output.out(Array(text.utf8))
}

func writeOut(_ data: Data) {
    Output.out([UInt8](data))
}
