import Foundation
import Model
import Probe
import SSH
#if canImport(Glibc)
import Glibc
#endif

/// The host `local`: commands run through /bin/sh on this machine, each on a dedicated
/// thread (spawn, pipes and waitpid block; they must stay off Swift's cooperative pool).
public struct LocalTransport: HostTransport {
    public init() {}

    public func run(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<ExecResult, Error>) in
            let t = Thread {
                cont.resume(with: Result { try LocalProcess.run(command, stdin: stdin, timeout: timeout, outputCap: outputCap) })
            }
            t.stackSize = 512 << 10
            t.start()
        }
    }

    public func openStream(host: String, port: Int, deadline: ContinuousClock.Instant) async throws -> ByteStream {
        try await SocketStream.connect(host: host, port: port, deadline: deadline)
    }

    public func close() async {}
}

/// One local /bin/sh child: stdin fed, stdout and stderr read apart with poll(2), bounded
/// by a timeout and an output cap; on either the whole process group is killed.
enum LocalProcess {
    /// glibc's POSIX_SPAWN_SETSID (2.26+), not exported to Swift.
    static let spawnSetSID: Int16 = 0x80
    static func run(_ command: String, stdin input: [UInt8], timeout: Duration, outputCap: Int) throws -> ExecResult {
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
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attrs, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attrs, &defaults)
        // A session of its own (as sshd gives a remote command): its own process group for the
        // kill below, and the collector's connection watch sees this process as its parent.
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | Self.spawnSetSID)
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

        var stdout: [UInt8] = [], stderr: [UInt8] = []
        var written = 0
        var inFD: Int32 = inPipe[1], outFD: Int32 = outPipe[0], errFD: Int32 = errPipe[0]
        if input.isEmpty { Glibc.close(inFD); inFD = -1 }
        let deadline = ContinuousClock.now + timeout
        var failure: SSHError?
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while outFD >= 0 || errFD >= 0 {
            var fds: [pollfd] = []
            if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero {
                failure = .commandTimeout(endpoint: "local", seconds: Double(timeout.components.seconds))
                break
            }
            let ms = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            _ = poll(&fds, nfds_t(fds.count), ms)
            for p in fds where p.revents != 0 {
                if p.fd == inFD {
                    let n = input[written...].withUnsafeBufferPointer { write(inFD, $0.baseAddress, $0.count) }
                    if n > 0 { written += n }
                    if n < 0 && errno != EAGAIN || written == input.count { Glibc.close(inFD); inFD = -1 }
                } else {
                    let n = read(p.fd, &buffer, buffer.count)
                    if n > 0 {
                        if p.fd == outFD { stdout += buffer[0..<n] } else { stderr += buffer[0..<n] }
                    } else if n == 0 || errno != EAGAIN {
                        Glibc.close(p.fd)
                        if p.fd == outFD { outFD = -1 } else { errFD = -1 }
                    }
                }
            }
            if stdout.count + stderr.count > outputCap { failure = .outputCap(endpoint: "local", limit: outputCap); break }
        }
        for fd in [inFD, outFD, errFD] where fd >= 0 { Glibc.close(fd) }
        if failure != nil { kill(-pid, SIGKILL) }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        if let failure { throw failure }
        let signal = raw & 0x7F
        return ExecResult(stdout: stdout, stderr: stderr,
                          exitStatus: signal == 0 ? (raw >> 8) & 0xFF : nil,
                          exitSignal: signal == 0 ? nil : signalName(signal))
    }

    static func signalName(_ n: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "HUP", SIGINT: "INT", SIGQUIT: "QUIT", SIGKILL: "KILL", SIGTERM: "TERM",
                                      SIGSEGV: "SEGV", SIGABRT: "ABRT", SIGPIPE: "PIPE", SIGALRM: "ALRM", SIGUSR1: "USR1", SIGUSR2: "USR2"]
        return names[n] ?? "SIG\(n)"
    }
}
