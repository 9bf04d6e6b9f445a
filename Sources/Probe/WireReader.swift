/// Buffers what a server sends over a `ByteStream` and hands complete messages to a pure decoder.
/// It remembers when the first byte arrived (the probe's latency) and bounds how much it buffers,
/// so a server streaming garbage cannot grow memory without limit.
final class WireReader {
    static let bufferLimit = 256 * 1024

    let stream: ByteStream
    let deadline: ContinuousClock.Instant
    private(set) var buffer: [UInt8] = []
    private(set) var firstAnswer: ContinuousClock.Instant?
    private var ended = false

    init(stream: ByteStream, deadline: ContinuousClock.Instant) {
        self.stream = stream
        self.deadline = deadline
    }

    func send(_ bytes: [UInt8]) async throws {
        try await stream.write(bytes, deadline: deadline)
    }

    /// Reads until `decode` recognises a complete message, then drops the bytes it used.
    /// `until` can shorten the wait below the probe's deadline (a banner that may never come).
    func next<Value>(until: ContinuousClock.Instant? = nil,
                     _ decode: ([UInt8]) -> Decoded<Value>) async throws -> Value {
        while true {
            if !buffer.isEmpty {
                switch decode(buffer) {
                case .done(let value, let consumed):
                    buffer.removeFirst(min(max(consumed, 0), buffer.count))
                    return value
                case .invalid(let reason):
                    throw WireError.invalid(reason, sample: buffer)
                case .needMore:
                    break
                }
            }
            if ended { throw WireError.ended(sample: buffer) }
            if buffer.count >= Self.bufferLimit {
                throw WireError.invalid("more than \(Self.bufferLimit / 1024) KiB without a complete message", sample: buffer)
            }
            try await fill(until: until ?? deadline)
        }
    }

    /// Reads one chunk into the buffer; returns false at end of stream.
    @discardableResult
    func fill(until: ContinuousClock.Instant) async throws -> Bool {
        let chunk = try await stream.read(max: 16384, deadline: min(until, deadline))
        if chunk.isEmpty {
            ended = true
            return false
        }
        if firstAnswer == nil { firstAnswer = .now }
        buffer += chunk
        return true
    }
}

/// How a conversation went wrong at the protocol level (transport errors pass through as thrown).
enum WireError: Error {
    /// The bytes received are not the expected protocol.
    case invalid(String, sample: [UInt8])
    /// The server closed the connection before a complete message.
    case ended(sample: [UInt8])
}
