import Foundation
import Model

/// A live progress line on stderr ("verify: 37/200 hosts done, 64 running, 2 failed, 12.3 s"),
/// redrawn as hosts finish and every second. Only when stderr is a terminal: in CI logs and
/// pipes nothing extra is printed.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let parallel: Int
    private let enabled: Bool
    private let start = ContinuousClock.now
    private let lock = NSLock()
    private var done = 0
    private var failed = 0
    private var shown = false
    private var ticker: Task<Void, Never>?

    init(_ label: String, total: Int, parallel: Int) {
        self.label = label
        self.total = total
        self.parallel = parallel
        enabled = isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        guard enabled else { return }
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                self?.redraw()
            }
        }
    }

    func hostDone(failed isFailure: Bool) {
        lock.withLock {
            done += 1
            if isFailure { failed += 1 }
        }
        redraw()
    }

    /// Runs `body` (printing to stdout) with the line cleared, then draws it again.
    func around(_ body: () -> Void) {
        lock.withLock {
            if shown { write("\r\u{1B}[K") }
            body()
            if enabled { draw() }
        }
    }

    func finish() {
        ticker?.cancel()
        lock.withLock { if shown { write("\r\u{1B}[K"); shown = false } }
    }

    private func redraw() {
        guard enabled else { return }
        lock.withLock { draw() }
    }

    private func draw() {
        let secs = start.duration(to: .now).inSeconds
        let running = min(parallel, total - done)
        write(String(format: "\r\u{1B}[K%@: %d/%d hosts done, %d running, %d failed, %.1f s", label, done, total, running, failed, secs))
        shown = true
    }

    private func write(_ s: String) {
        guard enabled else { return }
        writeErr(s)
    }
}
