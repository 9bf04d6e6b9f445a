import Foundation
import Model

/// One tier of a rollout: a named group of hosts patched, rebooted and verified together.
public struct RolloutWave: Sendable, Equatable {
    public var name: String
    public var targets: [HostTarget]
    public init(name: String, targets: [HostTarget]) {
        self.name = name
        self.targets = targets
    }
}

/// What a halted wave does to the hosts it patched (`--on-halt`).
public enum HaltAction: String, Sendable, Equatable, CaseIterable {
    /// Leave them as they are, for the operator.
    case stop
    /// Roll each patched host back to its baseline and verify it (``RollbackJob``).
    case rollback
}

/// When a patched host is rebooted.
public enum RebootPolicy: String, Sendable, Equatable, CaseIterable {
    case never
    case always
    /// Only when the host says so after the patch (/var/run/reboot-required and the like).
    case ifRequired = "if-required"
}

/// How many failed hosts a wave tolerates before the rollout halts: a count ("2") or a share
/// of the wave's hosts ("10%", rounded down, so 10% of 5 hosts tolerates none).
public enum FailureBudget: Sendable, Equatable {
    case count(Int)
    case percent(Double)

    /// Parses "N" or "N%"; nil for anything else (negative, above 100%, not a number).
    public static func parse(_ text: String) -> FailureBudget? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") {
            guard let p = Double(t.dropLast()), p >= 0, p <= 100, p.isFinite else { return nil }
            return .percent(p)
        }
        guard let n = Int(t), n >= 0 else { return nil }
        return .count(n)
    }

    /// Failed hosts allowed in a wave of `hosts` hosts.
    public func allowed(hosts: Int) -> Int {
        switch self {
        case let .count(n): return n
        case let .percent(p): return Int((Double(hosts) * p / 100).rounded(.down))
        }
    }

    public var description: String {
        switch self {
        case let .count(n): return "\(n)"
        case let .percent(p): return (p == p.rounded() ? "\(Int(p))" : "\(p)") + "%"
        }
    }
}

/// What a rollout will do, decided before any host is touched: waves in order, commands,
/// reboot and halt rules. Pure: building, validating and printing it contacts nothing.
public struct RolloutPlan: Sendable {
    public var waves: [RolloutWave]
    public var patchCommand: String
    public var preCommand: String?
    public var reboot: RebootPolicy
    public var rebootTimeout: Duration
    public var settle: Duration
    /// A baseline older than this is taken again before the wave is patched.
    public var baselineMaxAge: TimeInterval
    public var maxFailures: FailureBudget
    /// Restart the units still running replaced code after the patch (`--restart-outdated`).
    public var restartOutdated = false
    /// Unit globs never restarted, on top of ``RestartOutdated/denied`` (`rollout: restart_deny`).
    public var restartDeny: [String] = []
    /// Run on each host before its patch (`--host-pre-command`): non-zero fails the host, unpatched.
    public var hostPreCommand: String?
    /// Run on each host after its patch and any reboot, before verify (`--host-post-command`).
    public var hostPostCommand: String?
    /// What a halted wave does to its patched hosts (`--on-halt`).
    public var onHalt: HaltAction = .stop
    /// `--pin`: the first wave's change is recorded (`patch-set.json`) and installed as is by
    /// the later waves, instead of the patch command.
    public var pin = false
    /// `--patch-set FILE`: a set from an earlier run, installed by every wave (implies pin).
    public var patchSet: PatchSet?

    public init(waves: [RolloutWave], patchCommand: String, preCommand: String? = nil, reboot: RebootPolicy = .never,
                rebootTimeout: Duration = .seconds(600), settle: Duration = .zero, baselineMaxAge: TimeInterval = 86_400,
                maxFailures: FailureBudget = .count(0)) {
        self.waves = waves
        self.patchCommand = patchCommand
        self.preCommand = preCommand
        self.reboot = reboot
        self.rebootTimeout = rebootTimeout
        self.settle = settle
        self.baselineMaxAge = baselineMaxAge
        self.maxFailures = maxFailures
    }

    public struct PlanError: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Refuses plans that cannot be run as meant: no wave, an empty wave, a wave named twice,
    /// a host in two waves (it would be patched twice), an empty patch command.
    public func validate() throws {
        guard !waves.isEmpty else { throw PlanError("no waves: name them in order with --waves canary,web,db") }
        guard !patchCommand.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PlanError("the patch command is empty: give the command that patches a host with --patch-command")
        }
        for (command, flag) in [(hostPreCommand, "--host-pre-command"), (hostPostCommand, "--host-post-command")] {
            if let command, command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw PlanError("the host command of \(flag) is empty: give a command, or leave \(flag) out")
            }
        }
        var seenWaves = Set<String>()
        var hostWave: [String: String] = [:]
        for wave in waves {
            guard seenWaves.insert(wave.name).inserted else {
                throw PlanError("wave \(wave.name) is named twice in --waves: name each group once")
            }
            guard !wave.targets.isEmpty else { throw PlanError("wave \(wave.name) has no hosts: add hosts to the group or drop it from --waves") }
            for t in wave.targets {
                if let other = hostWave[t.name] {
                    throw PlanError("host \(t.name) is in waves \(other) and \(wave.name): a host can be patched in one wave only; remove it from one group")
                }
                hostWave[t.name] = wave.name
            }
        }
    }

    /// The plan without the waves before `name` (`--from-wave`, to resume a halted rollout).
    public func starting(from name: String) throws -> RolloutPlan {
        guard let i = waves.firstIndex(where: { $0.name == name }) else {
            throw PlanError("--from-wave \(name) is not one of the waves (\(waves.map(\.name).joined(separator: ", ")))")
        }
        var plan = self
        plan.waves = Array(waves[i...])
        return plan
    }

    /// The halt decision after a wave: any regression halts; so do more failed hosts than the
    /// budget allows. Nil: go on to the next wave.
    public static func haltReason(wave: String, hosts: Int, failed: Int, regressions: Int, budget: FailureBudget) -> String? {
        if regressions > 0 {
            return "wave \(wave): \(regressions) regression\(regressions == 1 ? "" : "s") found by verify"
        }
        let allowed = budget.allowed(hosts: hosts)
        if failed > allowed {
            return "wave \(wave): \(failed) of \(hosts) hosts failed (--max-failures \(budget.description) allows \(allowed))"
        }
        return nil
    }

    /// `--dry-run`: the waves in order with their hosts and the commands, nothing contacted.
    public func dryRunText() -> String {
        let hostCount = waves.reduce(0) { $0 + $1.targets.count }
        var lines = ["rollout plan: \(waves.count) wave\(waves.count == 1 ? "" : "s"), \(hostCount) host\(hostCount == 1 ? "" : "s")"]
        if let preCommand { lines.append("  before each wave (here): \(preCommand)") }
        if let hostPreCommand { lines.append("  before each host's patch (on the host): \(hostPreCommand)") }
        lines.append("  patch command: \(patchCommand)")
        if let hostPostCommand { lines.append("  after each host's patch and reboot (on the host): \(hostPostCommand)") }
        switch reboot {
        case .never: lines.append("  reboot: no")
        case .always: lines.append("  reboot: always (timeout \(Self.seconds(rebootTimeout)) s)")
        case .ifRequired: lines.append("  reboot: if the host requires it, or a unit never restarted by PostPatch runs replaced code "
                                       + "(timeout \(Self.seconds(rebootTimeout)) s)")
        }
        if restartOutdated {
            lines.append("  restart: units still running replaced code, except \((RestartOutdated.denied + restartDeny).joined(separator: " "))")
        }
        lines.append("  verify settle: \(Self.seconds(settle)) s; baselines older than \(Self.seconds(baselineMaxAge)) s are taken again")
        lines.append("  halt on: any regression, or more than \(maxFailures.description) failed hosts in a wave")
        if let patchSet {
            lines.append("  pinned patch set (\(patchSet.packages.count) package\(patchSet.packages.count == 1 ? "" : "s") from wave \(patchSet.wave)) installed by every wave instead of the patch command")
        } else if pin {
            lines.append("  pin: wave 1's change is recorded to patch-set.json; later waves install exactly it instead of the patch command")
        }
        if onHalt == .rollback { lines.append("  on halt: roll the wave's patched hosts back to their baselines and verify them") }
        for (i, wave) in waves.enumerated() {
            lines.append("wave \(i + 1) \(wave.name): \(wave.targets.count) host\(wave.targets.count == 1 ? "" : "s")")
            for t in wave.targets {
                let address = t.isLocal ? "local" : "\(t.user)@\(t.address):\(t.port)"
                lines.append("  \(t.name)  \(address)\(t.sudo ? "  (sudo)" : "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(_ d: Duration) -> String { seconds(d.inSeconds) }

    /// "600", or "2.5": whole seconds without a fraction (and no Int conversion that could trap).
    static func seconds(_ s: Double) -> String {
        s == s.rounded() && abs(s) < 1e15 ? String(format: "%.0f", s) : String(format: "%.1f", s)
    }
}
