import Model
import SSH
#if canImport(Glibc)
import Glibc
#endif

/// One local /bin/sh child: stdin fed, stdout and stderr read apart with poll(2), bounded
/// by a timeout and an output cap; on either the whole process group is killed.
/// Blocking throughout: called on a dedicated thread (``LocalTransport``).
enum LocalProcess {
    /// glibc's POSIX_SPAWN_SETSID (2.26+), not exported to Swift.
    static let spawnSetSID: Int16 = 0x80

    static func run(_ command: String, stdin input: [UInt8], timeout: Duration, outputCap: Int) throws -> ExecResult {
        let child = try spawn(command)
        var pump = Pump(child, input: input)
        let failure = pump.run(timeout: timeout, outputCap: outputCap)
        pump.closeAll()
        let raw = reap(child.pid, killing: failure != nil)
        if let failure { throw failure }
        let signal = raw & 0x7F
        return ExecResult(stdout: pump.stdout, stderr: pump.stderr,
                          exitStatus: signal == 0 ? (raw >> 8) & 0xFF : nil,
                          exitSignal: signal == 0 ? nil : signalName(signal))
    }

    /// A started child and our ends of its pipes, non-blocking.
    struct Child {
        var pid: pid_t
        var stdin: Int32
        var stdout: Int32
        var stderr: Int32
    }

    /// Starts `/bin/sh -c command` in a session of its own, its stdio on three new pipes.
    static func spawn(_ command: String) throws -> Child {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SSHError.channel(endpoint: "local", reason: "pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        ownSession(&attrs)
        let words: [String] = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attrs, &argv, environ)
        Glibc.close(inPipe[0]); Glibc.close(outPipe[1]); Glibc.close(errPipe[1])
        guard rc == 0 else {
            Glibc.close(inPipe[1]); Glibc.close(outPipe[0]); Glibc.close(errPipe[0])
            throw SSHError.channel(endpoint: "local", reason: "cannot start /bin/sh: \(String(cString: strerror(rc)))")
        }
        for fd in [inPipe[1], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return Child(pid: pid, stdin: inPipe[1], stdout: outPipe[0], stderr: errPipe[0])
    }

    /// No blocked and no ignored signals, whatever this thread has. A session of its own (as
    /// sshd gives a remote command): its own process group for the kill in `reap`, and the
    /// collector's connection watch sees this process as its parent.
    private static func ownSession(_ attrs: inout posix_spawnattr_t) {
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attrs, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attrs, &defaults)
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | Self.spawnSetSID)
    }

    /// Waits for the child, after killing its process group when `killing`; the raw wait status.
    static func reap(_ pid: pid_t, killing: Bool) -> Int32 {
        if killing { kill(-pid, SIGKILL) }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return raw
    }

    static func signalName(_ n: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "HUP", SIGINT: "INT", SIGQUIT: "QUIT", SIGKILL: "KILL", SIGTERM: "TERM",
                                      SIGSEGV: "SEGV", SIGABRT: "ABRT", SIGPIPE: "PIPE", SIGALRM: "ALRM", SIGUSR1: "USR1", SIGUSR2: "USR2"]
        return names[n] ?? "SIG\(n)"
    }

    /// Feeds the child's stdin and reads its stdout and stderr apart, with poll(2) so a child
    /// that talks before it reads cannot deadlock us. A descriptor is -1 once closed.
    struct Pump {
        private var inFD: Int32, outFD: Int32, errFD: Int32
        private let input: [UInt8]
        private var written = 0
        private(set) var stdout: [UInt8] = []
        private(set) var stderr: [UInt8] = []
        private var buffer = [UInt8](repeating: 0, count: 64 << 10)

        init(_ child: Child, input: [UInt8]) {
            (inFD, outFD, errFD) = (child.stdin, child.stdout, child.stderr)
            self.input = input
        }

        /// Until stdout and stderr both close; the timeout or cap hit otherwise.
        mutating func run(timeout: Duration, outputCap: Int) -> SSHError? {
            if input.isEmpty { Glibc.close(inFD); inFD = -1 }
            let deadline = ContinuousClock.now + timeout
            while outFD >= 0 || errFD >= 0 {
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero { return .commandTimeout(endpoint: "local", seconds: timeout.inSeconds) }
                var fds: [pollfd] = []
                if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
                if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
                if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
                _ = poll(&fds, nfds_t(fds.count), left.pollMilliseconds)
                for p in fds where p.revents != 0 {
                    if p.fd == inFD { feed() } else { drain(p.fd) }
                }
                if stdout.count + stderr.count > outputCap { return .outputCap(endpoint: "local", limit: outputCap) }
            }
            return nil
        }

        /// Writes what the pipe takes; closes stdin when all is written or the child stopped reading.
        private mutating func feed() {
            let n = input[written...].withUnsafeBufferPointer { write(inFD, $0.baseAddress, $0.count) }
            if n > 0 { written += n }
            if n < 0 && errno != EAGAIN || written == input.count { Glibc.close(inFD); inFD = -1 }
        }

        /// Reads one chunk of stdout or stderr; closes it at EOF or on an error.
        private mutating func drain(_ fd: Int32) {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 {
                if fd == outFD { stdout += buffer[0..<n] } else { stderr += buffer[0..<n] }
            } else if n == 0 || errno != EAGAIN {
                Glibc.close(fd)
                if fd == outFD { outFD = -1 } else { errFD = -1 }
            }
        }

        mutating func closeAll() {
            for fd in [inFD, outFD, errFD] where fd >= 0 { Glibc.close(fd) }
            (inFD, outFD, errFD) = (-1, -1, -1)
        }
    }
}
