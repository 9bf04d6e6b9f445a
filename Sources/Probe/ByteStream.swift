/// A bidirectional byte stream a probe speaks its handshake over: an SSH direct-tcpip
/// channel in production, a plain TCP socket (`SocketStream`) for `local` and in tests.
///
/// Implementations never block Swift's cooperative thread pool.
/// Contract the probes rely on:
/// - an operation still waiting at `deadline` throws (any error; the probe reports it as a
///   timeout because the deadline has passed), and task cancellation ends a wait promptly;
/// - errors describe themselves in one line (`CustomStringConvertible`), naming the endpoint,
///   because the probe copies them into the result as they are.
public protocol ByteStream: AnyObject, Sendable {
    /// Writes all of `bytes` or throws.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws
    /// Returns between 1 and `max` bytes, or an empty array at end of stream.
    func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8]
    /// Closes both directions; safe to call twice.
    func close() async
}
