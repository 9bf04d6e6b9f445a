import ArgumentParser
import Config
import Engine
import Foundation
import Model

/// The flags of `postpatch rollout`, and their merge with the checks file's `rollout:` section:
/// a flag wins, the file gives the default, and every number is range-checked whichever gave
/// it. A new rollout option is a property here and a line in `plan(defaults:config:)`.
struct RolloutOptions: ParsableArguments {
    static let rebootTimeoutRange = RolloutSettings.rebootTimeoutRange
    /// Up to ten years: "never take it again" is a large number, not infinity.
    static let baselineMaxAgeRange = RolloutSettings.baselineMaxAgeRange

    @Option(help: ArgumentHelp("Groups to patch, in order, comma-separated (e.g. canary,web,db); default: the config's rollout.waves.", valueName: "groups"))
    var waves: String?

    @Option(name: .customLong("patch-command"), help: ArgumentHelp("Shell command that patches one host (run on it, through sudo when the host has it).", valueName: "cmd"))
    var patchCommand: String?

    @Option(name: .customLong("pre-command"), help: ArgumentHelp("Shell command run here before each wave (env POSTPATCH_WAVE, POSTPATCH_HOSTS); non-zero stops the rollout.", valueName: "cmd"))
    var preCommand: String?

    @Option(name: .customLong("host-pre-command"), help: ArgumentHelp("Shell command run on each host before its patch (through sudo like the patch command); non-zero fails the host, unpatched.", valueName: "cmd"))
    var hostPreCommand: String?

    @Option(name: .customLong("host-post-command"), help: ArgumentHelp("Shell command run on each host after its patch and any reboot, before verify; non-zero fails the host.", valueName: "cmd"))
    var hostPostCommand: String?

    /// `.next`, not the default `.scanningForValue`: that one drops an attached value
    /// (`--reboot=if-required`) when an option follows, and reads ahead past other options.
    @Option(defaultAsFlag: RebootPolicy.always, parsing: .next,
            help: ArgumentHelp("Reboot every patched host and wait for it; `--reboot if-required`: only hosts that say they need it; `--reboot never` overrides the config.",
                               valueName: "when"))
    var reboot: RebootPolicy?

    @Option(name: .customLong("reboot-timeout"), help: ArgumentHelp("Seconds (1 to 86400) a host may take to come back after a reboot.", valueName: "seconds"))
    var rebootTimeout: Double?

    @OptionGroup var settle: SettleOptions

    @Option(name: .customLong("baseline-max-age"), help: ArgumentHelp("A baseline older than this many seconds is taken again before the wave.", valueName: "seconds"))
    var baselineMaxAge: Double?

    @Option(name: .customLong("max-failures"), help: ArgumentHelp("Failed hosts a wave tolerates: a count or a percentage (10%).", valueName: "n"))
    var maxFailures: String?

    @Option(name: .customLong("from-wave"), help: ArgumentHelp("Resume: skip the waves before this one.", valueName: "name"))
    var fromWave: String?

    @Option(help: ArgumentHelp("Folder that receives one run folder per rollout.", valueName: "dir"))
    var runs = "runs"

    @Flag(name: .customLong("restart-outdated"), help: "After the patch, restart the units still running code it replaced (not the deny-list of docs/rollout.md; sshd last), then verify.")
    var restartOutdated = false

    @Option(name: .customLong("on-halt"), help: ArgumentHelp("What a halted wave does to the hosts it patched: stop (leave them) or rollback (back to their baselines, verified).",
                                                              valueName: "action"))
    var onHalt: HaltAction = .stop

    @Flag(help: "Pin the patch set: wave 1 runs the patch command and its change is recorded (patch-set.json in the run folder); later waves install exactly those versions through the host's package manager.")
    var pin = false

    @Option(name: .customLong("patch-set"), help: ArgumentHelp("Install this recorded patch set (an earlier run's patch-set.json) on every wave instead of running the patch command.",
                                                                 valueName: "file"))
    var patchSet: String?

    @Flag(name: .customLong("dry-run"), help: "Print the plan (waves, hosts, commands) and touch nothing.")
    var dryRun = false

    func validate() throws {
        if let maxFailures, FailureBudget.parse(maxFailures) == nil { throw ValidationError("--max-failures takes a count (2) or a percentage (10%)") }
        if pin, fromWave != nil, patchSet == nil {
            throw ValidationError("--pin with --from-wave would pin the resumed wave's own patch: resume a pinned rollout with --patch-set <run folder>/patch-set.json")
        }
        try FlagRange.check(FlagRange.problem(rebootTimeout, "--reboot-timeout", Self.rebootTimeoutRange),
                            FlagRange.problem(baselineMaxAge, "--baseline-max-age", Self.baselineMaxAgeRange))
    }

    /// The wave names, and the plan without the waves' hosts (resolving those is the command's).
    func plan(defaults: RolloutSettings, config path: String) throws -> (waves: [String], plan: RolloutPlan) {
        func key(_ name: String) -> String { "rollout.\(name) in \(path)" }
        let names = waves.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            ?? defaults.waves
        guard !names.isEmpty else { throw Failure("no waves: give --waves canary,web,db or rollout.waves in \(path)", .usage) }
        let patchCommand = self.patchCommand ?? defaults.patchCommand
        guard patchCommand != nil || dryRun || patchSet != nil else {
            throw Failure("no patch command: give --patch-command or rollout.patch_command in \(path)", .usage)
        }
        let maxFailuresText = maxFailures ?? defaults.maxFailures ?? "0"
        guard let budget = FailureBudget.parse(maxFailuresText) else {
            throw Failure("\(key("max_failures")) takes a count (2) or a percentage (10%), got \(maxFailuresText)", .usage)
        }
        let rebootTimeout = try FlagRange.duration(self.rebootTimeout ?? defaults.rebootTimeout ?? 600,
                                                   self.rebootTimeout == nil ? key("reboot_timeout") : "--reboot-timeout", Self.rebootTimeoutRange)
        let maxAge = baselineMaxAge ?? defaults.baselineMaxAge ?? 86_400
        if let problem = FlagRange.problem(maxAge, baselineMaxAge == nil ? key("baseline_max_age") : "--baseline-max-age", Self.baselineMaxAgeRange) {
            throw Failure(problem, .usage)
        }
        let command = patchCommand ?? ""
        var plan = RolloutPlan(waves: [], patchCommand: !command.isEmpty ? command : patchSet != nil ? "(the pinned patch set)" : dryRun ? "(none given)" : command, preCommand: preCommand ?? defaults.preCommand,
                               reboot: reboot ?? defaults.reboot.flatMap(RebootPolicy.init) ?? .never, rebootTimeout: rebootTimeout,
                               settle: try settle.duration(fallback: defaults.settle, source: key("settle")),
                               baselineMaxAge: maxAge, maxFailures: budget)
        plan.restartOutdated = restartOutdated || defaults.restartOutdated == true
        plan.restartDeny = defaults.restartDeny
        for (flag, given, configKey, fromFile) in [("--host-pre-command", hostPreCommand, "host_pre_command", defaults.hostPreCommand),
                                             ("--host-post-command", hostPostCommand, "host_post_command", defaults.hostPostCommand)] {
            guard let command = given ?? fromFile, command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            throw Failure("\(given == nil ? key(configKey) : flag) is empty: give the command to run on each host, or leave it out", .usage)
        }
        plan.hostPreCommand = hostPreCommand ?? defaults.hostPreCommand
        plan.hostPostCommand = hostPostCommand ?? defaults.hostPostCommand
        plan.onHalt = onHalt
        plan.pin = pin || patchSet != nil
        if let patchSet {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: patchSet)) } catch {
                throw Failure("--patch-set \(patchSet): cannot read it: \(error.localizedDescription)", .localIO)
            }
            do { plan.patchSet = try PatchSet.read(data) } catch { throw Failure("--patch-set \(patchSet): \(error)", .usage) }
        }
        return (names, plan)
    }
}

/// `--reboot never|always|if-required`: the words of the checks file's `rollout.reboot`.
extension RebootPolicy: ExpressibleByArgument {}
/// `--on-halt stop|rollback`.
extension HaltAction: ExpressibleByArgument {}
