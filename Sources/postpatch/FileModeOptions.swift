import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `--umask`: how private the files this run writes are. Baselines, history, reports and run
/// folders are created 0644 (folders 0755) under the usual umask 022; `--umask 077` makes
/// them 0600 (folders 0700) for fleets whose snapshots should stay with their owner.
/// Files are never created more open than 0644, whatever the umask. known_hosts is always 0600.
struct FileModeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File creation mask for what this run writes (octal, e.g. 077 for owner-only files); default: the process umask.",
                               valueName: "mask"))
    var umask: String?

    func validate() throws {
        if let umask, Self.parse(umask) == nil {
            throw ValidationError("--umask '\(umask)' is not an octal mask from 000 to 777: give e.g. 022 or 077")
        }
    }

    /// Sets the process umask; call first thing in `run()`.
    func apply() {
        if let umask, let mask = Self.parse(umask) { _ = Glibc.umask(mask) }
    }

    static func parse(_ text: String) -> mode_t? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ ("0"..."7").contains($0) }), let v = UInt32(text, radix: 8), v <= 0o777
        else { return nil }
        return mode_t(v)
    }
}
