import ArgumentParser
import Model

/// A number from a person, checked once where it is read: finite and within its range, with the
/// range in the message, so no later conversion (`Duration`, `Int`) can trap on it. `name` is
/// what the person wrote it as: a flag (`--settle`) or a key of a file (`rollout.settle in FILE`).
enum FlagRange {
    /// The problem with `value`, or nil when it is nil or within `range`.
    static func problem(_ value: Double?, _ name: String, _ range: ClosedRange<Double>, unit: String = "seconds") -> String? {
        guard let value, !(value.isFinite && range.contains(value) && abs(value) < Duration.largestSeconds) else { return nil }
        return message(name, shown(range.lowerBound), shown(range.upperBound), unit, got: shown(value))
    }

    static func problem(_ value: Int?, _ name: String, _ range: ClosedRange<Int>, unit: String) -> String? {
        guard let value, !range.contains(value) else { return nil }
        return message(name, "\(range.lowerBound)", "\(range.upperBound)", unit, got: "\(value)")
    }

    private static func message(_ name: String, _ low: String, _ high: String, _ unit: String, got: String) -> String {
        "\(name) must be from \(low) to \(high)\(unit.isEmpty ? "" : " " + unit), got \(got)"
    }

    /// For `validate()`: the first problem as a usage error.
    static func check(_ problems: String?...) throws {
        if let first = problems.compactMap({ $0 }).first { throw ValidationError(first) }
    }

    /// Seconds from a flag or a file as a Duration, the range checked whatever the source.
    static func duration(_ value: Double, _ name: String, _ range: ClosedRange<Double>) throws -> Duration {
        guard let d = Duration(seconds: value, within: range) else {
            throw Failure(problem(value, name, range) ?? "\(name): \(value) seconds is out of range", .usage)
        }
        return d
    }

    /// 3600 rather than 3600.0; nan, inf and 1e+308 as they are.
    static func shown(_ d: Double) -> String {
        d.isFinite && d == d.rounded() && abs(d) < 1e15 ? String(format: "%.0f", d) : "\(d)"
    }
}
