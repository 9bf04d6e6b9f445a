import Foundation
import Model
#if canImport(Glibc)
import Glibc
#endif

/// Something with a socket that a poller thread drives: libssh2 sessions in non-blocking mode.
/// Every method is called on the driver's own poller thread only.
protocol PollDriver: AnyObject {
    /// The socket to wait on, or -1 while there is none.
    var fd: Int32 { get }
    /// Advance as far as possible without blocking; return the poll events to wait for
    /// (0: nothing to wait for until kicked again).
    func step(revents: Int16) -> Int16
    /// The earliest deadline of the work in progress.
    var deadline: ContinuousClock.Instant? { get }
    /// The deadline passed: fail what is late; return events as `step` does.
    func expire() -> Int16
    /// True once the driver holds no resources: the poller forgets it.
    var finished: Bool { get }
}

/// One thread running poll(2) over many non-blocking sessions.
///
/// Blocking libssh2 calls, connect and getaddrinfo never run on Swift's cooperative pool
/// (2 threads on a 2-core machine would serialise 200 hosts two at a time); they run here,
/// and async callers are resumed through continuations.
final class PollerThread: @unchecked Sendable {
    private let lock = NSLock()
    private var queued: [() -> Void] = []
    /// Self-pipe: `submit` writes a byte to wake poll(2).
    private let wakeRead: Int32
    private let wakeWrite: Int32
    // Loop-thread state.
    private var drivers: [ObjectIdentifier: (driver: PollDriver, events: Int16)] = [:]
    private var kicked: Set<ObjectIdentifier> = []

    init(name: String) {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `work` on the poller thread, soon.
    func submit(_ work: @escaping () -> Void) {
        lock.lock()
        queued.append(work)
        lock.unlock()
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
    }

    /// Loop thread only: start (or keep) driving `driver`, stepping it on this iteration.
    func kick(_ driver: PollDriver) {
        let id = ObjectIdentifier(driver)
        if drivers[id] == nil { drivers[id] = (driver, 0) }
        kicked.insert(id)
    }

    private func loop() {
        var fds: [pollfd] = []
        var ids: [ObjectIdentifier] = []
        while true {
            fds.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            var nearest: ContinuousClock.Instant?
            for (id, entry) in drivers {
                if entry.events != 0 && entry.driver.fd >= 0 {
                    fds.append(pollfd(fd: entry.driver.fd, events: entry.events, revents: 0))
                    ids.append(id)
                }
                if let d = entry.driver.deadline, nearest.map({ d < $0 }) ?? true { nearest = d }
            }
            var timeout: Int32 = -1
            if !kicked.isEmpty {
                timeout = 0
            } else if let nearest {
                let left = ContinuousClock.now.duration(to: nearest)
                timeout = left.pollMilliseconds
            }
            _ = poll(&fds, nfds_t(fds.count), timeout)

            if fds[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            lock.lock()
            let work = queued
            queued.removeAll(keepingCapacity: true)
            lock.unlock()
            for w in work { w() }

            var ready: [ObjectIdentifier: Int16] = [:]
            for (i, id) in ids.enumerated() where fds[i + 1].revents != 0 { ready[id] = fds[i + 1].revents }
            for id in kicked where ready[id] == nil { ready[id] = 0 }
            kicked.removeAll(keepingCapacity: true)
            for (id, revents) in ready {
                guard let entry = drivers[id] else { continue }
                // Evaluated before touching `drivers`: a step may kick other drivers in.
                let events = entry.driver.step(revents: revents)
                drivers[id]?.events = events
            }
            let now = ContinuousClock.now
            for (id, entry) in drivers {
                if let d = entry.driver.deadline, d <= now {
                    let events = entry.driver.expire()
                    drivers[id]?.events = events
                }
            }
            for (id, entry) in drivers where entry.driver.finished { drivers.removeValue(forKey: id) }
        }
    }
}

/// The poller threads of the process; sessions are spread over them round-robin.
final class PollerPool: @unchecked Sendable {
    static let shared = PollerPool(threads: max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))

    private let pollers: [PollerThread]
    private let lock = NSLock()
    private var next = 0

    init(threads: Int) {
        pollers = (0..<threads).map { PollerThread(name: "postpatch-poller-\($0)") }
    }

    func pick() -> PollerThread {
        lock.withLock {
            defer { next = (next + 1) % pollers.count }
            return pollers[next]
        }
    }
}
