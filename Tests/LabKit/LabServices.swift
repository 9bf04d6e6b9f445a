import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A SysV service on THIS machine, `pp-lab-daemon`: an LSB script in /etc/init.d whose daemon is
/// OpenBSD netcat listening on 127.0.0.1:PORT, started and stopped with start-stop-daemon.
/// Starting or stopping it changes two things a snapshot sees: the `service --status-all` line
/// ([ + ] / [ - ]) and a listening TCP socket. This host has no systemd as PID 1, which is why
/// the service is SysV style.
///
/// The script path is global machine state: one lab service at a time, and tests must call
/// `uninstall()` in tearDown. PID 1 in this container may be slow to reap orphans, so a stopped
/// daemon can linger as a zombie for a while: it holds no socket, and `status` still says stopped
/// because start-stop-daemon matches /proc/PID/exe, which a zombie no longer has.
public final class LabService: @unchecked Sendable {
    public static let name = "pp-lab-daemon"
    public static let script = "/etc/init.d/pp-lab-daemon"
    public static let pidFile = "/run/pp-lab-daemon.pid"
    /// The real binary, not the /usr/bin/nc alternative: start-stop-daemon matches /proc/PID/exe.
    public static let daemon = "/usr/bin/nc.openbsd"

    public let port: Int

    private init(port: Int) { self.port = port }

    /// Skips (locally) or fails (CI=true) when start-stop-daemon or netcat-openbsd is missing.
    public static func requireTools() throws {
        try LabSkip.require("/usr/sbin/start-stop-daemon", package: "dpkg")
        try LabSkip.require(daemon, package: "netcat-openbsd")
        try LabSkip.require("/usr/sbin/service", package: "init-system-helpers")
    }

    /// Writes the init script for `port` (replacing an older lab script, stopped first); the
    /// service is left stopped.
    public static func install(port: Int) async throws -> LabService {
        try requireTools()
        guard (1...65535).contains(port) else { throw LabError("lab service port \(port) is not 1-65535") }
        await uninstall()
        guard FileManager.default.createFile(atPath: script, contents: Data(scriptText(port: port).utf8),
                                             attributes: [.posixPermissions: 0o755]) else {
            throw LabError("cannot write \(script): \(String(cString: strerror(errno))); run the tests as root")
        }
        return LabService(port: port)
    }

    /// `/etc/init.d/pp-lab-daemon start`, then waits until the port accepts connections.
    public func start(timeout: Duration = .seconds(10)) async throws {
        try await runScript("start")
        let port = port
        try await LabProcess.waitUntil("\(Self.name) on 127.0.0.1:\(port)", timeout: timeout, child: nil, log: nil) {
            LabProcess.isListening(port: port)
        }
    }

    /// `/etc/init.d/pp-lab-daemon stop`, then waits until the port is closed.
    public func stop(timeout: Duration = .seconds(15)) async throws {
        try await runScript("stop")
        let port = port
        try await LabProcess.waitUntil("\(Self.name) port \(port) closed", timeout: timeout, child: nil, log: nil) {
            !LabProcess.isListening(port: port)
        }
    }

    /// True when the script's `status` says running (exit 0), as `service --status-all` sees it.
    public func isRunning() async throws -> Bool {
        try await LabProcess.run(Self.script, ["status"]).status == 0
    }

    /// Stops the daemon and removes the script and pidfile.
    public func uninstall() async { await Self.uninstall() }

    /// Stops and removes any lab service left on the machine (safe when none is installed).
    public static func uninstall() async {
        if FileManager.default.isExecutableFile(atPath: script) {
            _ = try? await LabProcess.run(script, ["stop"], timeout: .seconds(30))
        }
        try? FileManager.default.removeItem(atPath: script)
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    private func runScript(_ action: String) async throws {
        let result = try await LabProcess.run(Self.script, [action], timeout: .seconds(30))
        guard result.status == 0 else {
            throw LabError("\(Self.script) \(action) failed (status \(result.status)): \(result.output)")
        }
    }

    /// The LSB script. `-d` keeps nc from reading stdin, `-k` keeps it listening after each
    /// client; --oknodo makes start/stop idempotent.
    static func scriptText(port: Int) -> String {
        """
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          \(name)
        # Required-Start:    $local_fs
        # Required-Stop:     $local_fs
        # Default-Start:     2 3 4 5
        # Default-Stop:      0 1 6
        # Short-Description: PostPatch lab listener (test fixture, safe to remove)
        ### END INIT INFO
        PATH=/sbin:/usr/sbin:/bin:/usr/bin
        DAEMON=\(daemon)
        PIDFILE=\(pidFile)
        PORT=\(port)

        case "$1" in
          start)
            start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile "$PIDFILE" \\
              --exec "$DAEMON" -- -d -l -k -s 127.0.0.1 -p "$PORT"
            ;;
          stop)
            start-stop-daemon --stop --quiet --oknodo --retry TERM/5/KILL/5 --pidfile "$PIDFILE" --exec "$DAEMON"
            rc=$?
            rm -f "$PIDFILE"
            exit $rc
            ;;
          status)
            # `service --status-all` shows [ + ] only for exit 0 AND some output, like status_of_proc.
            # Not `start-stop-daemon --status --exec`: it reads /proc/PID/exe, which an
            # unprivileged user (the SSH lab user) cannot for root's daemon.
            rc=3
            if [ -r "$PIDFILE" ]; then
                pid=$(cat "$PIDFILE")
                if [ -r "/proc/$pid/stat" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$(basename "$DAEMON")" ] \
                    && [ "$(cut -d' ' -f3 "/proc/$pid/stat")" != Z ]; then rc=0; else rc=1; fi
            fi
            if [ $rc -eq 0 ]; then echo "\(name) is running"; else echo "\(name) is not running"; fi
            exit $rc
            ;;
          restart|force-reload)
            "$0" stop && "$0" start
            ;;
          *)
            echo "Usage: $0 {start|stop|status|restart}" >&2
            exit 3
            ;;
        esac

        """
    }
}

/// A TCP or UDP socket bound to 127.0.0.1:PORT and held open by the test process until
/// `close()`, for "new port opened" / "port closed" findings without any daemon.
public final class LabListener: @unchecked Sendable {
    public typealias Transport = LoopbackSocket.Transport

    public let transport: Transport
    /// The bound port (the kernel's choice when opened with port 0).
    public let port: Int
    private var fd: Int32
    private let lock = NSLock()

    private init(transport: Transport, port: Int, fd: Int32) {
        self.transport = transport
        self.port = port
        self.fd = fd
    }

    deinit { close() }

    /// Binds 127.0.0.1:`port` (0 = any free port) and, for TCP, listens.
    public static func open(_ transport: Transport, port: Int = 0) throws -> LabListener {
        let bound = try LoopbackSocket.open(transport, port: port)
        return LabListener(transport: transport, port: bound.port, fd: bound.fd)
    }

    /// Closes the socket; safe to call twice.
    public func close() {
        lock.withLock {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    /// True when `ss -ln` (tcp or udp) lists a socket on 127.0.0.1:`port`: what a snapshot's
    /// socket collector would see, not just "connect works".
    public static func ssLists(port: Int, _ transport: Transport) async throws -> Bool {
        try LabSkip.require("/usr/bin/ss", package: "iproute2")
        let flag = transport == .tcp ? "-Hltn" : "-Hlun"
        let result = try await LabProcess.run("/usr/bin/ss", [flag])
        guard result.status == 0 else { throw LabError("ss \(flag) failed (status \(result.status)): \(result.output)") }
        return result.output.split(separator: "\n").contains { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.count >= 4 && fields[3] == "127.0.0.1:\(port)"
        }
    }
}
