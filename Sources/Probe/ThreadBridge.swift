import Foundation

/// Runs blocking system calls (getaddrinfo, poll, recv, send) on a dedicated thread so they never
/// occupy Swift's cooperative pool, and hands the result back through a continuation.
///
/// Probes are short and few, so one thread per operation is cheaper than owning a poller.
enum ThreadBridge {
    /// Runs `body` on a new thread. `body` receives a flag that turns true when the calling task is
    /// cancelled: loops inside it poll in short slices and give up when they see it.
    static func run<T: Sendable>(_ name: String,
                                 _ body: @escaping @Sendable (CancelFlag) throws -> T) async throws -> T {
        let flag = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try body(flag) })
                }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            flag.set()
        }
    }

    /// Like `run`, for calls that cannot be interrupted (getaddrinfo): at `deadline` the caller gets
    /// `timeout` while the thread finishes on its own and its late result is dropped.
    static func run<T: Sendable>(_ name: String, deadline: ContinuousClock.Instant, timeout: ProbeError,
                                 _ body: @escaping @Sendable () throws -> T) async throws -> T {
        let once = OnceContinuation<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            once.install(continuation)
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                once.resume(with: .failure(timeout))
            }
            let thread = Thread {
                once.resume(with: Result { try body() })
                timer.cancel()
            }
            thread.name = name
            thread.start()
        }
    }
}

/// A thread-safe "stop now" flag shared between a task and the thread working for it.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// A continuation that may be raced by several resumers; the first wins, the rest are ignored.
final class OnceContinuation<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var pending: Result<T, Error>?
    private var done = false

    func install(_ continuation: CheckedContinuation<T, Error>) {
        let early: Result<T, Error>? = lock.withLock {
            if let pending { self.pending = nil; return pending }
            self.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Returns true when this call was the one that resumed (it won the race).
    @discardableResult
    func resume(with result: Result<T, Error>) -> Bool {
        var won = false
        let target: CheckedContinuation<T, Error>? = lock.withLock {
            if done { return nil }
            done = true
            won = true
            if let c = continuation { continuation = nil; return c }
            pending = result
            return nil
        }
        target?.resume(with: result)
        return won
    }
}
