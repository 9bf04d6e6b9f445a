import Foundation

/// Waits for `condition` to hold, checking it every `poll`, and throws a `LabError` naming what
/// was awaited when `timeout` passes first. The one way tests wait for something to happen: a
/// fixed sleep is a guess about timing, and a slow or loaded machine turns the guess into a flake.
/// (A sleep that is itself the thing under test, "nothing happens within N s", says so where it is.)
public func waitUntil(_ what: @autoclosure () -> String, timeout: Duration, poll: Duration = .milliseconds(50),
                      _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { throw LabError("timed out after \(timeout) waiting for \(what())") }
        try await Task.sleep(for: poll)
    }
}

/// `waitUntil` for code that is not async: blocks the calling thread while it polls.
public func waitUntilBlocking(_ what: @autoclosure () -> String, timeout: Duration, poll: Duration = .milliseconds(50),
                              _ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return }
        if ContinuousClock.now >= deadline { throw LabError("timed out after \(timeout) waiting for \(what())") }
        let (seconds, attoseconds) = poll.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }
}

extension LabProcess {
    /// Waits on a thread of its own until `ready()` holds (polled every 50 ms), failing early with
    /// the log's tail when `child` exits, and after `timeout` with the log's tail.
    public static func waitUntil(_ what: String, timeout: Duration, child: LabChild?, log: URL?,
                                 ready: @escaping @Sendable () -> Bool) async throws {
        let logTail = { log.map { tail(of: $0) } ?? "" }
        try await onThread("wait \(what)") {
            do {
                try waitUntilBlocking(what, timeout: timeout) {
                    if ready() { return true }
                    if let child, !child.isRunning {
                        throw LabError("\(what): the server exited (status \(child.exitStatus ?? -1)): \(logTail())")
                    }
                    return false
                }
            } catch let error as LabError where error.description.hasPrefix("timed out") {
                throw LabError("\(what): not ready within \(timeout): \(logTail())")
            }
        }
    }
}
