/// The process exit codes, the same for every command (README "Exit codes").
public enum ExitStatus: Int32, Sendable {
    /// Every host ran / no regression.
    case ok = 0
    /// A remote command exited non-zero, or at least one regression (or warning with --fail-on warning).
    case failed = 1
    /// Bad command line or config file.
    case usage = 2
    /// Some host could not be reached, authenticated or checked; no regression elsewhere.
    case unreachable = 3
    /// A local file could not be read or written (baseline folder read-only, disk full, lock held).
    case localIO = 4
    /// `rollback`: every host's package versions are the baseline's again, but something else
    /// still differs from it (a host not restored is 1).
    case restoredWithDifferences = 5
    /// Interrupted by SIGINT or SIGTERM.
    case interrupted = 130
}
