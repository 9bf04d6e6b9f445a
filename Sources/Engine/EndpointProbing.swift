import Model
import Probe

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
    }

    /// One socket to probe: its bound address and port, and the process holding it.
    struct Socket: Sendable, Equatable {
        var address: String
        var port: Int
        var process: String?
    }

    static func learn(_ snapshot: Snapshot, target: HostTarget, transport: HostTransport,
                      settings: EndpointProbe.Settings? = nil) async -> Outcome {
        guard target.checks.learning.isEnabled else {
            return Outcome(gap: CaptureGap(step: "", problem: "learning is off for this host (learn: { endpoints: false })",
                                           fix: "", skipped: true))
        }
        guard snapshot.isCaptured(.sockets) else {
            return Outcome(gap: CaptureGap(step: "", problem: "the listening sockets were not captured", fix: "", skipped: true))
        }
        let probe = settings ?? EndpointProbe.Settings(httpHost: httpHost(target))
        let sockets = self.sockets(snapshot, ignore: target.rules.ignore)
        let answers = await run(sockets, settings: probe) { host, port, deadline in
            try await transport.openStream(host: host, port: port, deadline: deadline)
        }
        // sshd answers every direct-tcpip request "administratively prohibited" under
        // `AllowTcpForwarding no`: that is the session's policy, not what the ports do.
        if !answers.isEmpty, answers.allSatisfy({ $0.error?.contains("administratively prohibited") == true }) {
            return Outcome(gap: CaptureGap(step: "", problem: "the SSH server refuses direct-tcpip channels (administratively prohibited)",
                                           fix: "allow TCP forwarding for this login (sshd_config: AllowTcpForwarding local), "
                                               + "or turn learning off for the host (learn: { endpoints: false })"))
        }
        return Outcome(answers: answers)
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

    /// Probes `sockets`, at most `concurrency` at once; answers in no particular order (the
    /// snapshot sorts them).
    static func run(_ sockets: [Socket], settings: EndpointProbe.Settings,
                    connect: @escaping @Sendable (String, Int, ContinuousClock.Instant) async throws -> ByteStream) async -> [EndpointAnswer] {
        await withTaskGroup(of: EndpointAnswer.self) { group in
            var pending = sockets.makeIterator()
            func start(_ s: Socket) {
                group.addTask {
                    await EndpointProbe.run(EndpointPolicy.plan(port: s.port, process: s.process), address: s.address,
                                            port: s.port, process: s.process, settings: settings, connect: connect)
                }
            }
            for _ in 0..<concurrency {
                guard let s = pending.next() else { break }
                start(s)
            }
            var answers: [EndpointAnswer] = []
            for await answer in group {
                answers.append(answer)
                if let s = pending.next() { start(s) }
            }
            return answers
        }
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
