import Model
import Probe
import SSH

/// The learned endpoint probes of one capture: what answers on every listening TCP socket of the
/// snapshot outside the ephemeral range, one probe per address and port, each over its own
/// stream opened through the host's transport (a direct-tcpip channel of the one SSH session;
/// a loopback socket for `local`), many at once.
enum EndpointProbing {
    /// Channels open at once on one session. A host rarely listens on more ports than this, so
    /// the capture usually grows by its slowest probe alone.
    static let concurrency = 32

    struct Outcome: Sendable {
        var answers: [EndpointAnswer] = []
        var gap: CaptureGap?
        /// Why some ports were not probed (`Snapshot.partial`).
        var partial: String?
    }

    /// One socket to probe: its bound address and port, and the process holding it.
    struct Socket: Sendable, Equatable {
        var address: String
        var port: Int
        var process: String?
    }

    /// `baseline`: what the same sockets answered in the baseline, when the capture is a verify's
    /// (`EndpointPolicy.plan(port:process:baseline:)` gives a port that greeted then the probe's
    /// whole time to greet again); empty for a baseline or a plain snapshot.
    static func learn(_ snapshot: Snapshot, target: HostTarget, transport: HostTransport,
                      settings: EndpointProbe.Settings? = nil, baseline: [EndpointAnswer] = []) async -> Outcome {
        guard target.checks.learning.isEnabled else {
            return Outcome(gap: CaptureGap(step: "", problem: "learning is off for this host (learn: { endpoints: false })",
                                           fix: "", skipped: true))
        }
        guard snapshot.isCaptured(.sockets) else {
            return Outcome(gap: CaptureGap(step: "", problem: "the listening sockets were not captured", fix: "", skipped: true))
        }
        let probe = settings ?? EndpointProbe.Settings(httpHost: httpHost(target))
        let sockets = self.sockets(snapshot, ignore: target.rules.ignore)
        let (answers, skipped) = await run(sockets, settings: probe, baseline: baseline,
                                           oneOpenAtATime: transport is SSHTransport) { host, port, deadline in
            try await transport.openStream(host: host, port: port, deadline: deadline)
        }
        // sshd answers every direct-tcpip request "administratively prohibited" under
        // `AllowTcpForwarding no`: that is the session's policy, not what the ports do.
        if !answers.isEmpty, answers.allSatisfy({ $0.error?.contains("administratively prohibited") == true }) {
            return Outcome(gap: CaptureGap(step: "", problem: "the SSH server refuses direct-tcpip channels (administratively prohibited)",
                                           fix: "allow TCP forwarding for this login (sshd_config: AllowTcpForwarding local), "
                                               + "or turn learning off for the host (learn: { endpoints: false })"))
        }
        guard let stuck = skipped else { return Outcome(answers: answers) }
        let which = stuck.port.map { "the channel to port \($0) did not open within \(stuck.waited) (a service that no longer accepts?)" }
            ?? "a channel open of the session did not complete"
        return Outcome(answers: answers, partial: "\(which), so \(stuck.count) port(s) after it were not probed: "
                           + "an SSH session opens one channel at a time")
    }

    /// The listening TCP sockets to probe, one per bound address and port: outside the
    /// ephemeral range (outgoing connections' and RPC daemons' random ports), not ignored by
    /// `ignore: { endpoints: }`. The process is the first name seen there (sorted: deterministic).
    static func sockets(_ snapshot: Snapshot, ignore: IgnoreRules) -> [Socket] {
        var byKey: [String: Socket] = [:]
        var order: [String] = []
        for s in snapshot.sockets where s.protocol == .tcp || s.protocol == .tcp6 {
            if snapshot.ephemeralPortRange?.contains(s.port) == true || ignore.ignoresEndpoint(port: s.port) { continue }
            let key = "\(s.address)|\(s.port)"
            if var seen = byKey[key] {
                if let p = s.process, !p.isEmpty, seen.process.map({ p < $0 }) ?? true { seen.process = p }
                byKey[key] = seen
            } else {
                byKey[key] = Socket(address: s.address, port: s.port, process: s.process.flatMap { $0.isEmpty ? nil : $0 })
                order.append(key)
            }
        }
        return order.compactMap { byKey[$0] }
    }

    /// What `run` left out after a channel that did not open: the port, how long it was given,
    /// and how many ports were not probed after it.
    struct Skipped: Sendable, Equatable {
        /// nil: an open that was not a probe's (a database probe's, an HTTP check's) held them up.
        var port: Int?
        var waited: String
        var count: Int
    }

    /// Probes `sockets`, at most `concurrency` at once; answers in no particular order (the
    /// snapshot sorts them). With `oneOpenAtATime` (an SSH session: libssh2 opens its channels
    /// one after another) the probes open their streams in turn, each probe's time counted from
    /// its turn; once an open has not completed in its time, no more are tried, since every later
    /// open would wait behind it: those ports are left out (`Skipped`), not reported silent.
    static func run(_ sockets: [Socket], settings: EndpointProbe.Settings, baseline: [EndpointAnswer] = [],
                    oneOpenAtATime: Bool = false,
                    connect: @escaping @Sendable (String, Int, ContinuousClock.Instant) async throws -> ByteStream)
        async -> (answers: [EndpointAnswer], skipped: Skipped?) {
        let turns = oneOpenAtATime ? OpenTurns() : nil
        let before = Dictionary(baseline.map { ("\($0.address)|\($0.port)", $0) }, uniquingKeysWith: { a, _ in a })
        let results = await withTaskGroup(of: EndpointAnswer?.self) { group in
            var pending = sockets.enumerated().makeIterator()
            func start(_ token: Int, _ s: Socket) {
                group.addTask {
                    let plan = EndpointPolicy.plan(port: s.port, process: s.process, baseline: before["\(s.address)|\(s.port)"])
                    guard let turns else {
                        return await EndpointProbe.run(plan, address: s.address, port: s.port, process: s.process,
                                                       settings: settings, connect: connect)
                    }
                    guard await turns.begin(token) else { return nil }
                    let answer = await EndpointProbe.run(plan, address: s.address, port: s.port, process: s.process,
                                                         settings: settings) { host, port, deadline in
                        do {
                            let stream = try await connect(host, port, deadline)
                            await turns.end(token, port: s.port, stuck: false)
                            return stream
                        } catch {
                            var stuck = false
                            if case SSHError.tunnelTimeout = error { stuck = true }
                            await turns.end(token, port: s.port, stuck: stuck)
                            throw error
                        }
                    }
                    await turns.end(token, port: s.port, stuck: false)  // the probe ended before its open did
                    // Held up behind another open of the session: not probed, not silent.
                    if answer.error?.contains(SSHSession.channelOpenQueued) == true {
                        await turns.heldUp()
                        return nil
                    }
                    return answer
                }
            }
            for _ in 0..<concurrency {
                guard let (token, s) = pending.next() else { break }
                start(token, s)
            }
            var answers: [EndpointAnswer?] = []
            for await answer in group {
                answers.append(answer)
                if let (token, s) = pending.next() { start(token, s) }
            }
            return answers
        }
        let answers = results.compactMap { $0 }
        guard let turns, answers.count < sockets.count else { return (answers, nil) }
        return (answers, Skipped(port: await turns.stuckPort, waited: "\(settings.timeout.components.seconds) s",
                                 count: sockets.count - answers.count))
    }

    /// The Host header (and TLS server name) of the learned `GET /`: the config's `http_host`,
    /// else the host's name. A host named on the command line as `address:port` is named after
    /// its SSH port: then the address alone; `local` is "localhost".
    static func httpHost(_ target: HostTarget) -> String {
        if let given = target.checks.learning.httpHost { return given }
        if target.isLocal { return "localhost" }
        let suffix = ":\(target.port)"
        if target.name.hasSuffix(suffix) { return target.address }
        return target.name
    }
}

/// Whose turn it is to open a stream, first come first served; once an open has not completed
/// in its time (`stuck`), no later one begins. Probes are told apart by a token of their own
/// (two sockets may share a port: 0.0.0.0 and ::).
actor OpenTurns {
    private var busy = false
    private var holder: Int?
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var stuckPort: Int?
    private var stuck = false

    /// Waits for the turn; false when an earlier open got stuck (nothing to open then).
    func begin(_ token: Int) async -> Bool {
        if busy {
            await withCheckedContinuation { waiting.append($0) }  // resumed holding the turn
        } else {
            busy = true
        }
        holder = token
        if stuck {
            pass()
            return false
        }
        return true
    }

    /// The holder's open ended, stuck or not (later calls for the same token are ignored).
    func end(_ token: Int, port: Int, stuck: Bool) {
        guard holder == token else { return }
        if stuck && !self.stuck {
            self.stuck = true
            stuckPort = port
        }
        pass()
    }

    /// A probe's open waited behind one that was not a probe's: no later one begins either.
    func heldUp() { stuck = true }

    /// Hands the turn to the first waiter, or frees it.
    private func pass() {
        holder = nil
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
