import Model
#if canImport(Glibc)
import Glibc
#endif

/// A failure while reaching or speaking to an endpoint, phrased for the user in one line:
/// what was tried, on which endpoint, and what happened.
public struct ProbeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Lets callers react without parsing the message (a timeout is worth a retry, a refusal is not).
    public enum Reason: String, Sendable, Equatable {
        case resolve, refused, unreachable, timedOut, closed, io, cancelled
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}

/// "5 s", "2.5 s", "0.2 s": how long an operation was allowed, for error messages.
func formatSeconds(_ duration: Duration) -> String {
    let tenths = duration.inSeconds * 10
    let rounded = max(0, tenths.rounded())
    if rounded.truncatingRemainder(dividingBy: 10) == 0 { return "\(Int(rounded / 10)) s" }
    return "\(rounded / 10) s"
}

/// "Connection refused" -> "connection refused": messages are embedded mid-sentence.
func lowerFirst(_ text: String) -> String {
    guard let first = text.first else { return text }
    return first.lowercased() + text.dropFirst()
}

/// strerror(errno) as a mid-sentence phrase.
func errnoText(_ code: Int32) -> String {
    lowerFirst(String(cString: strerror(code)))
}
