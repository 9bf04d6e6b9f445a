import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Keeps one lab host's systemd-nspawn running across reboots, on a thread of its own.
///
/// `systemctl reboot` inside a container ends systemd-nspawn with exit status 133; starting it
/// again boots the same tree with a new boot id (and a fresh volatile overlay). Any other exit
/// (a power-off, a kill, a failed start) ends the loop.
final class NspawnSupervisor: @unchecked Sendable {
    static let rebootStatus: Int32 = 133

    private let arguments: [String]
    private let log: String
    private weak var lab: Lab?
    private let lock = NSLock()
    private var current: LabChild?
    private var stopping = false
    private var finished = false
    private var started = 0
    private var lastStatus: Int32?

    init(arguments: [String], log: String, lab: Lab) {
        self.arguments = arguments
        self.log = log
        self.lab = lab
    }

    var boots: Int { lock.withLock { started } }
    var runningPID: pid_t? { lock.withLock { current?.isRunning == true ? current?.pid : nil } }
    /// systemd-nspawn's last exit status (133 = rebooted), nil while the first run lasts.
    var exitStatus: Int32? { lock.withLock { lastStatus } }
    var isFinished: Bool { lock.withLock { finished } }

    /// Starts systemd-nspawn and the thread that restarts it after each reboot.
    func start() throws {
        try launch()
        let thread = Thread { [self] in supervise() }
        thread.name = "nspawn supervisor"
        thread.start()
    }

    private func launch() throws {
        let child = try LabProcess.spawn(SystemdHostRootfs.nspawn, arguments, log: URL(fileURLWithPath: log))
        // The lab SIGTERMs what it tracks when it stops: a clean power-off if a test forgot stop().
        lab?.track(child)
        lock.withLock {
            current = child
            started += 1
        }
    }

    private func supervise() {
        while true {
            guard let child = lock.withLock({ current }) else { break }
            while !child.waitForExit(timeout: .seconds(3600)) {}
            let status = child.exitStatus ?? -1
            let again = lock.withLock { () -> Bool in
                lastStatus = status
                current = nil
                return !stopping && status == Self.rebootStatus
            }
            guard again else { break }
            do { try launch() } catch {
                appendToLog("supervisor: cannot start systemd-nspawn again after a reboot: \(error)")
                break
            }
        }
        lock.withLock { finished = true }
    }

    /// Blocking. SIGTERM (systemd-nspawn then halts the container cleanly), SIGKILL after `grace`.
    func stop(grace: Duration) {
        let child = lock.withLock { () -> LabChild? in
            stopping = true
            return current
        }
        // A reboot may be between exit and relaunch: `stopping` stops the relaunch, and the
        // supervisor finishing is what says no systemd-nspawn is left.
        child?.signal(SIGTERM)
        var signalled = child
        try? waitUntilBlocking("systemd-nspawn to halt", timeout: grace, poll: .milliseconds(20)) {
            // A second SIGTERM would be noise at best: only a newly started child gets one.
            if let now = lock.withLock({ current }), now !== signalled {
                now.signal(SIGTERM)
                signalled = now
            }
            return isFinished
        }
        if !isFinished, let now = lock.withLock({ current }) {
            appendToLog("supervisor: systemd-nspawn did not halt within \(grace); killing it")
            now.signal(SIGKILL)
            _ = now.waitForExit(timeout: .seconds(10))
        }
    }

    private func appendToLog(_ line: String) {
        guard let handle = FileHandle(forWritingAtPath: log) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((line + "\n").utf8))
    }
}
