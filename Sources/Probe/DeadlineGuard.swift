import Foundation

/// A last line of defence for the probe's deadline: streams are expected to honour deadlines
/// themselves, but a `ByteStream` from another layer (an SSH channel) might not. At `until`
/// the caller gets `fallback()` and the work is cancelled and left to finish on its own.
enum DeadlineGuard {
    static func race<T: Sendable>(until: ContinuousClock.Instant,
                                  work: @escaping @Sendable () async -> T,
                                  fallback: @escaping @Sendable () -> T) async -> T {
        let once = OnceContinuation<T>()
        let handles = TaskHandles()
        let value = await withTaskCancellationHandler {
            try? await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                once.install(continuation)
                handles.add(Task {
                    once.resume(with: .success(await work()))
                })
                handles.add(Task {
                    do { try await Task.sleep(until: until, clock: .continuous) } catch { return }
                    once.resume(with: .success(fallback()))
                })
            }
        } onCancel: {
            handles.cancelAll()
        }
        // Stops the timer when the work won, or cancels the work when the timer won.
        handles.cancelAll()
        return value ?? fallback()
    }
}

/// Tasks started by `DeadlineGuard`, cancellable from any thread.
private final class TaskHandles: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []
    private var cancelled = false

    func add(_ task: Task<Void, Never>) {
        let late = lock.withLock { () -> Bool in
            if !cancelled { tasks.append(task) }
            return cancelled
        }
        if late { task.cancel() }
    }

    func cancelAll() {
        let all = lock.withLock { () -> [Task<Void, Never>] in
            cancelled = true
            return tasks
        }
        all.forEach { $0.cancel() }
    }
}
