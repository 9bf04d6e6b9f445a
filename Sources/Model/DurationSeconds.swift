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
}
