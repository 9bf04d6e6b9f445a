/// The one place where `Duration` and seconds as a `Double` meet, both ways.
///
/// Seconds come from people and files (`--settle 60`, `reboot_timeout: 600`) and go to reports
/// and progress lines (`durationSeconds`, "in 2.31 s"). Written by hand, the first direction is
/// `.milliseconds(Int64(x * 1000))`, which traps on `nan`, `inf` and `1e308`: only numbers that
/// were range-checked get a `Duration`, through `init?(seconds:within:)`.
extension Duration {
    /// Seconds with their fraction, e.g. 2.31 for 2 s 310 ms.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `seconds` to the millisecond, or nil unless it is a finite number within `range` (and
    /// within what a `Duration` of milliseconds holds: ±9e15 s).
    public init?(seconds: Double, within range: ClosedRange<Double>) {
        guard seconds.isFinite, range.contains(seconds), abs(seconds) < Self.largestSeconds else { return nil }
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Past this, seconds × 1000 no longer fits the Int64 of milliseconds.
    public static let largestSeconds = 9e15

    /// Whole milliseconds, the fraction dropped (2.3109 s -> 2310), for `durationMs` fields;
    /// saturates instead of trapping on a duration past ±9e15 s.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, past) = ms.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return past ? (ms < 0 ? .min : .max) : total
    }

    /// A poll(2) timeout that lasts at least this long: milliseconds plus one (so a poll does
    /// not wake a fraction early and spin), never negative, at most Int32.max.
    public var pollMilliseconds: Int32 {
        let ms = wholeMilliseconds
        return Int32(clamping: Swift.max(0, ms == .max ? ms : ms + 1))
    }
}
