/// The channel operations queued on one ready session, and how they take turns: every
/// operation is stepped until none progresses, within a round limit so one busy channel
/// cannot starve the other sessions of the poller thread. Poller thread only.
final class ChannelQueue {
    private(set) var ops: [ChannelOp] = []
    /// While operations wait, they are stepped again at least this often even without a poll
    /// event: a safety net against a readiness libssh2 consumed without us seeing it (seen as
    /// one stalled session out of 500 in the benchmark). Costs one cheap step per second.
    private var nudgeAt: ContinuousClock.Instant?
    static let nudgeInterval = Duration.seconds(1)
    static let roundLimit = 64

    /// The earliest operation deadline, or the next nudge.
    /// Asked for every session on every turn of the poller: no arrays made.
    var deadline: ContinuousClock.Instant? {
        var earliest = nudgeAt
        for op in ops {
            if let d = op.deadline, earliest.map({ d < $0 }) ?? true { earliest = d }
        }
        return earliest
    }

    func append(_ op: ChannelOp) { ops.append(op) }

    enum Outcome {
        /// Nothing queued: nothing to wait for.
        case idle
        /// Operations wait on the session; `more` when the round limit cut progress short
        /// (the caller steps again on the next loop iteration, after the other sessions).
        case waiting(more: Bool)
        case sessionFailed(SSHError)
    }

    /// Steps every operation until none progresses: libssh2 may have buffered data for one
    /// channel while reading for another, and no poll event will announce it.
    func step(session: OpaquePointer) -> Outcome {
        var rounds = 0
        var progressed = true
        while progressed && rounds < Self.roundLimit && !ops.isEmpty {
            progressed = false
            rounds += 1
            var i = 0
            while i < ops.count {
                switch ops[i].step(session: session) {
                case .blocked:
                    i += 1
                case .progressed:
                    progressed = true
                    i += 1
                case .done:
                    ops.remove(at: i)
                    progressed = true
                case let .sessionFailed(err):
                    return .sessionFailed(err)
                }
            }
        }
        if ops.isEmpty { nudgeAt = nil; return .idle }
        nudgeAt = .now + Self.nudgeInterval
        return .waiting(more: progressed)
    }

    /// Tells the operations whose deadline passed (each delivers its timeout when next stepped).
    func expire(now: ContinuousClock.Instant) {
        for op in ops where (op.deadline.map { $0 <= now } ?? false) { op.expire() }
    }

    /// Empties the queue, failing every operation with `err`.
    func failAll(_ err: SSHError) {
        let pending = ops
        ops.removeAll()
        for op in pending { op.fail(err) }
    }
}
