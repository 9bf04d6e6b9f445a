import Model

/// What a TLS client asks for. Learned endpoint probes use `TLSOptions()`: no verification,
/// every protocol version and cipher the library can speak (security level 0), so an old server
/// is observed rather than refused. Declared HTTP checks verify by default.
public struct TLSOptions: Sendable, Equatable {
    /// SNI; nil or an IP literal sends none.
    public var serverName: String?
    /// Verify the chain (system trust store, plus `caFile`) and that the certificate names `serverName`.
    public var verify: Bool
    /// A PEM file of extra trusted CAs, on the machine running PostPatch.
    public var caFile: String?

    public init(serverName: String? = nil, verify: Bool = false, caFile: String? = nil) {
        self.serverName = serverName
        self.verify = verify
        self.caFile = caFile
    }
}

/// A failed handshake. `info.error` says why, naming the alert when the peer sent one
/// ("tlsv1 alert protocol version"); a verification failure also carries what the server sent.
public struct TLSHandshakeError: Error, CustomStringConvertible, Sendable {
    public var info: TLSInfo
    /// True when the server sent any bytes back (an alert, a non-TLS answer); false when it
    /// stayed silent or closed (no answer at all).
    public var answered: Bool
    public init(info: TLSInfo, answered: Bool) {
        self.info = info
        self.answered = answered
    }
    public var description: String { info.error ?? "TLS handshake failed" }
}

/// A TLS client session over a `ByteStream`, driven through OpenSSL memory BIOs (CTLS): the
/// library never touches a socket, so the bytes may flow through an SSH direct-tcpip channel.
/// After `open`, the connection is itself a `ByteStream` carrying the application data.
public final class TLSConnection: ByteStream, @unchecked Sendable {
    public let info: TLSInfo

    private init(info: TLSInfo) { self.info = info }

    /// Shakes hands over `stream`, all by `deadline`. Throws `TLSHandshakeError` when the
    /// handshake fails (the stream is left open: the caller closes it), or the stream's error.
    public static func open(over stream: ByteStream, options: TLSOptions,
                            deadline: ContinuousClock.Instant) async throws -> TLSConnection {
        throw TLSHandshakeError(info: TLSInfo(error: "TLS is not built yet"), answered: false)
    }

    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
        throw TLSHandshakeError(info: info, answered: false)
    }

    public func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] { [] }

    /// Sends close_notify (best effort) and closes the underlying stream.
    public func close() async {}
}
