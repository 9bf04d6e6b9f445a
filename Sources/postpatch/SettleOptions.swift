import Config
import ArgumentParser
import Model

/// `--settle`, shared by verify, drift and rollout and checked here once.
struct SettleOptions: ParsableArguments {
    static let range = RolloutSettings.settleRange

    @Option(help: ArgumentHelp("Seconds (0 to 3600) to keep re-capturing a host whose regressions may be a service still starting.",
                               valueName: "seconds"))
    var settle: Double?

    func validate() throws {
        try FlagRange.check(FlagRange.problem(settle, "--settle", Self.range))
    }

    /// The flag, else `fallback` (rollout: the checks file's `rollout.settle`, named `source`), else 0.
    func duration(fallback: Double? = nil, source: String = "") throws -> Duration {
        if let settle { return try FlagRange.duration(settle, "--settle", Self.range) }
        return try FlagRange.duration(fallback ?? 0, source, Self.range)
    }
}
