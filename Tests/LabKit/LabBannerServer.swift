import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A server that speaks first, on 127.0.0.1: each client gets `banner` (changeable while it
/// runs), then up to a second to say one line (it answers "221 Bye" to QUIT), then the close.
/// It records what clients sent, so tests can see what a probe said. One client at a time.
/// `delay` makes it a busy daemon (the greeting comes late), `mute` a hung one (it accepts and
/// never greets, until the client hangs up or 10 s pass).
public final class LabBannerServer: @unchecked Sendable {
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var text: String
    private var greetingDelay: Duration = .zero
    private var muted = false
    private var heard: [String] = []
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    public init(banner: String, port: Int = 0) throws {
        let bound = try LoopbackSocket.open(.tcp, port: port)
        fd = bound.fd
        self.port = bound.port
        text = banner
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// What the next client is greeted with (a line ending is added).
    public var banner: String {
        get { lock.withLock { text } }
        set { lock.withLock { text = newValue } }
    }

    /// How long each client waits for its greeting.
    public var delay: Duration {
        get { lock.withLock { greetingDelay } }
        set { lock.withLock { greetingDelay = newValue } }
    }

    /// Accept and never greet.
    public var mute: Bool {
        get { lock.withLock { muted } }
        set { lock.withLock { muted = newValue } }
    }

    /// The first line each client sent, in order ("" for a client that sent nothing).
    public var linesHeard: [String] { lock.withLock { heard } }

    public func stop() {
        lock.withLock { stopped = true }
        finished.wait()
        Glibc.close(fd)
    }

    private func serve() {
        defer { finished.signal() }
        while !lock.withLock({ stopped }) {
            guard ready(fd, milliseconds: 50) else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            let (wait, quiet) = lock.withLock { (greetingDelay, muted) }
            // Bounded pauses, cut short by stop(): 50 ms steps.
            for _ in 0..<(quiet ? 200 : Int(wait / .milliseconds(50))) where !lock.withLock({ stopped }) {
                guard ready(client, milliseconds: 50) else { continue }
                if quiet { break }  // the client hung up (or spoke)
                usleep(50_000)
            }
            if quiet {
                lock.withLock { heard.append("") }
                Glibc.close(client)
                continue
            }
            let greeting = Array((banner + "\r\n").utf8)
            _ = greeting.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var line: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            for _ in 0..<20 where !line.contains(0x0A) {
                guard ready(client, milliseconds: 50) else { continue }
                let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                line += buffer[0..<n]
            }
            let said = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if said.uppercased() == "QUIT" {
                _ = Array("221 Bye\r\n".utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            lock.withLock { heard.append(said) }
            Glibc.close(client)
        }
    }

    private func ready(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }
}
