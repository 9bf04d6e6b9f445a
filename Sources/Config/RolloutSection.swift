/// `rollout:` in the checks file: the default waves and commands of `postpatch rollout`.
/// Command-line flags override each value.
///
/// ```yaml
/// rollout:
///   waves: [canary, web, db]
///   patch_command: "apt-get update -q && apt-get -y -q dist-upgrade"
///   pre_command: "/usr/local/bin/snapshot-vms"
///   host_pre_command: "/usr/local/bin/drain"      # on each host before its patch
///   host_post_command: "/usr/local/bin/undrain"   # on each host after its patch and reboot, before verify
///   reboot: if-required        # never | always | if-required
///   reboot_timeout: 600
///   settle: 60
///   max_failures: "10%"
///   baseline_max_age: 86400
///   restart_outdated: true      # restart units still running replaced code after the patch
///   restart_deny: [postgresql@*.service]   # never restart these that way
/// ```
public struct RolloutSettings: Sendable, Equatable {
    public var waves: [String] = []
    public var patchCommand: String?
    public var preCommand: String?
    public var hostPreCommand: String?
    public var hostPostCommand: String?
    public var reboot: String?
    public var rebootTimeout: Double?
    public var settle: Double?
    public var maxFailures: String?
    public var baselineMaxAge: Double?
    public var restartOutdated: Bool?
    public var restartDeny: [String] = []

    /// The ranges of these values, in the file and as flags (`--reboot-timeout`, `--settle`,
    /// `--baseline-max-age` read them from here).
    public static let rebootTimeoutRange: ClosedRange<Double> = 1...86_400
    public static let settleRange: ClosedRange<Double> = 0...3600
    public static let baselineMaxAgeRange: ClosedRange<Double> = 0...315_360_000

    static let keys = ["waves", "patch_command", "pre_command", "reboot", "reboot_timeout", "settle",
                       "max_failures", "baseline_max_age", "restart_outdated", "restart_deny",
                       "host_pre_command", "host_post_command"]

    static func read(_ value: YAMLValue) throws -> RolloutSettings {
        let map = try value.mapping()
        try map.requireKnown(keys)
        var r = RolloutSettings()
        if let w = map["waves"] { r.waves = try w.words() }
        r.patchCommand = try map["patch_command"]?.text()
        r.preCommand = try map["pre_command"]?.text()
        r.hostPreCommand = try map["host_pre_command"]?.text()
        r.hostPostCommand = try map["host_post_command"]?.text()
        if let v = map["reboot"] {
            let word = try v.word()
            guard ["never", "always", "if-required"].contains(word) else {
                throw v.error("'reboot' must be never, always or if-required, got \(v.shown)")
            }
            r.reboot = word
        }
        r.rebootTimeout = try map["reboot_timeout"]?.seconds(within: Self.rebootTimeoutRange)
        r.settle = try map["settle"]?.seconds(within: Self.settleRange)
        r.maxFailures = try map["max_failures"]?.text()
        r.baselineMaxAge = try map["baseline_max_age"]?.seconds(within: Self.baselineMaxAgeRange)
        r.restartOutdated = try map["restart_outdated"]?.bool()
        if let d = map["restart_deny"] { r.restartDeny = try d.words() }
        return r
    }
}
