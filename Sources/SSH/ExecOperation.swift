import CLibSSH2
import Model

/// Runs one command on an exec channel: open, exec, EOF on stdin, read stdout and stderr
/// apart until EOF, close, wait for the close, then read the exit status.
/// (libssh2 1.10 has the exit status only after EOF and libssh2_channel_wait_closed.)
final class ExecOperation: ChannelOp {
    private enum State { case open, exec, writeStdin, sendEOF, read, close, waitClosed, free }

    private let command: String
    private var stdin: [UInt8]
    private var stdinWritten = 0
    private let endpoint: String
    private let timeout: Duration
    private let outputCap: Int
    private(set) var deadline: ContinuousClock.Instant?
    private var state = State.open
    private var channel: OpaquePointer?
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var exitStatus: Int32?
    private var exitSignal: String?
    /// A timeout or cap hit: the channel is being closed, then this is delivered.
    private var ending: SSHError?
    private var abandoned = false
    private var completion: ((Result<ExecResult, SSHError>) -> Void)?

    /// Window per channel: large enough to stream tens of MB without stalling on adjusts.
    static let window: UInt32 = 4 << 20
    static let packet: UInt32 = 32768

    init(command: String, stdin: [UInt8] = [], endpoint: String, timeout: Duration, outputCap: Int,
         completion: @escaping (Result<ExecResult, SSHError>) -> Void) {
        self.command = command
        self.stdin = stdin
        self.endpoint = endpoint
        self.timeout = timeout
        self.outputCap = outputCap
        self.deadline = .now + timeout
        self.completion = completion
    }

    /// What one state's step did: moved on (step again at once), hit EAGAIN, or finished this turn.
    private enum Turn { case next, wait, stop(ChannelStep) }

    func step(session: OpaquePointer) -> ChannelStep {
        if abandoned, let ending { return .sessionFailed(ending) }
        var progressed = false
        while true {
            let turn: Turn
            switch state {
            case .open: turn = open(session)
            case .exec: turn = exec(session)
            case .writeStdin: turn = writeStdin(session)
            case .sendEOF: turn = sendEOF()
            case .read: turn = read(session)
            case .close: turn = close(session)
            case .waitClosed: turn = waitClosed(session)
            case .free: turn = free()
            }
            switch turn {
            case .next: progressed = true
            case .wait: return progressed ? .progressed : .blocked
            case let .stop(result): return result
            }
        }
    }

    /// The session is gone: what libssh2 last said is the reason.
    private func lost(_ session: OpaquePointer) -> Turn {
        .stop(.sessionFailed(.sessionLost(endpoint: endpoint, reason: LibSSH2.lastError(session).message)))
    }

    private func open(_ session: OpaquePointer) -> Turn {
        guard let ch = libssh2_channel_open_ex(session, "session", 7, Self.window, Self.packet, nil, 0) else {
            let (code, msg) = LibSSH2.lastError(session)
            if code == LibSSH2.eagain { return .wait }
            if isSessionFatal(code) { return .stop(.sessionFailed(.sessionLost(endpoint: endpoint, reason: msg))) }
            deliver(.failure(.channel(endpoint: endpoint, reason: "server refused a session channel: \(msg)")))
            return .stop(.done)
        }
        channel = ch
        state = .exec
        return .next
    }

    private func exec(_ session: OpaquePointer) -> Turn {
        let rc = libssh2_channel_process_startup(channel, "exec", 4, command, UInt32(command.utf8.count))
        if rc == LibSSH2.eagain { return .wait }
        if rc != 0 {
            if isSessionFatal(rc) { return lost(session) }
            ending = .channel(endpoint: endpoint, reason: "server refused to run the command: \(LibSSH2.lastError(session).message)")
            state = .free
            return .next
        }
        state = .writeStdin
        return .next
    }

    /// Scripts go in on stdin (`sh -s`), not in the command line every host user can read.
    private func writeStdin(_ session: OpaquePointer) -> Turn {
        var wrote = false
        while stdinWritten < stdin.count {
            let n = stdin[stdinWritten...].withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: CChar.self) { libssh2_channel_write_ex(channel, 0, $0.baseAddress, $0.count) }
            }
            if n == Int(LibSSH2.eagain) {
                // Keep reading meanwhile, or a command that talks before it reads would deadlock us.
                if case .capped = readAvailable() {
                    ending = .outputCap(endpoint: endpoint, limit: outputCap)
                    state = .close
                    return .next
                }
                return wrote ? .stop(.progressed) : .wait
            }
            if n < 0 {
                if isSessionFatal(Int32(n)) { return lost(session) }
                ending = .channel(endpoint: endpoint, reason: "writing the command's input failed: \(LibSSH2.lastError(session).message)")
                state = .close
                return .next
            }
            stdinWritten += n
            wrote = true
        }
        stdin = []
        state = .sendEOF
        return .next
    }

    /// After the input (if any), EOF: nothing on the host waits on us, as with `ssh -n`.
    private func sendEOF() -> Turn {
        if libssh2_channel_send_eof(channel) == LibSSH2.eagain { return .wait }
        state = .read
        return .next
    }

    private func read(_ session: OpaquePointer) -> Turn {
        switch readAvailable() {
        case .again: return .wait
        case .data: break
        case .eof: state = .close
        case let .failed(code, _) where isSessionFatal(code): return lost(session)
        case let .failed(_, msg):
            ending = .channel(endpoint: endpoint, reason: msg)
            state = .close
        case .capped:
            ending = .outputCap(endpoint: endpoint, limit: outputCap)
            state = .close
        }
        return .next
    }

    private func close(_ session: OpaquePointer) -> Turn {
        let rc = libssh2_channel_close(channel)
        if rc == LibSSH2.eagain { return .wait }
        if rc != 0 && isSessionFatal(rc) {
            return .stop(.sessionFailed(ending ?? .sessionLost(endpoint: endpoint, reason: LibSSH2.lastError(session).message)))
        }
        state = .waitClosed
        return .next
    }

    /// libssh2 1.10 has the exit status only after EOF and the close confirmed.
    private func waitClosed(_ session: OpaquePointer) -> Turn {
        if libssh2_channel_wait_closed(channel) == LibSSH2.eagain { return .wait }
        readExit(session)
        state = .free
        return .next
    }

    /// Releases the channel, then delivers the result or the error that ended it early.
    private func free() -> Turn {
        if let ch = channel {
            if libssh2_channel_free(ch) == LibSSH2.eagain { return .wait }
            channel = nil
        }
        if let ending {
            deliver(.failure(ending))
        } else {
            deliver(.success(ExecResult(stdout: stdout, stderr: stderr, exitStatus: exitStatus, exitSignal: exitSignal)))
        }
        return .stop(.done)
    }

    private enum ReadOutcome { case again, data, eof, capped, failed(Int32, String) }

    /// Drains both streams; stderr too, or a chatty command would stall on a full window.
    private func readAvailable() -> ReadOutcome {
        var got = false
        let buffer = Scratch.buffer
        for stream: Int32 in [0, SSH_EXTENDED_DATA_STDERR] {
            while true {
                let n = libssh2_channel_read_ex(channel, stream, buffer.assumingMemoryBound(to: CChar.self), Scratch.size)
                if n > 0 {
                    got = true
                    let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
                    if stream == 0 { stdout.append(contentsOf: bytes) } else { stderr.append(contentsOf: bytes) }
                    if stdout.count + stderr.count > outputCap { return .capped }
                    continue
                }
                if n == Int(LibSSH2.eagain) || n == 0 { break }
                return .failed(Int32(n), "read failed (\(n))")
            }
        }
        if libssh2_channel_eof(channel) == 1 { return .eof }
        return got ? .data : .again
    }

    private func readExit(_ session: OpaquePointer) {
        var sig: UnsafeMutablePointer<CChar>?
        var sigLen = 0
        if libssh2_channel_get_exit_signal(channel, &sig, &sigLen, nil, nil, nil, nil) == 0, let sig {
            exitSignal = String(cString: sig)
            libssh2_free(session, sig)
        }
        if exitSignal == nil { exitStatus = libssh2_channel_get_exit_status(channel) }
    }

    func expire() {
        if ending != nil {
            // The server did not answer our close within the grace period: give up on the session.
            abandoned = true
            return
        }
        ending = .commandTimeout(endpoint: endpoint, seconds: timeout.inSeconds)
        cancelChannel()
    }

    /// Ends the channel early (timeout, interrupt): close it, wait briefly for the server.
    func cancel(_ error: SSHError) {
        guard ending == nil else { return }
        ending = error
        cancelChannel()
    }

    private func cancelChannel() {
        deadline = .now + .seconds(3)
        if channel == nil { state = .free; return }
        if state == .open || state == .exec || state == .writeStdin || state == .sendEOF || state == .read { state = .close }
    }

    func fail(_ error: SSHError) {
        channel = nil  // freed with the session
        deliver(.failure(ending ?? error))
    }

    private func deliver(_ result: Result<ExecResult, SSHError>) {
        deadline = nil
        let c = completion
        completion = nil
        c?(result)
    }
}
