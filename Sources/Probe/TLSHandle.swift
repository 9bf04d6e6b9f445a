import CTLS
import Foundation
import Model

/// One CTLS client: the only owner of the C handle, which is freed exactly once, in `deinit`
/// (so also when the task using it is cancelled mid-handshake and simply lets go of it).
/// Every call takes the lock for a few microseconds of CPU work (or a handshake step's
/// crypto) and never across an `await`: OpenSSL objects are not thread-safe, and its error
/// queue is thread-local, so each C call reads its own errors before returning.
final class TLSHandle: @unchecked Sendable {
    enum Status { case ok, wantInput, closed, failed }

    private let lock = NSLock()
    private let client: OpaquePointer

    /// Handles alive in this process, for the tests that check nothing leaks.
    static var live: Int { LiveCount.shared.value }

    /// Throws the reason as one line ("cannot read the CA file /x.pem (...): give a PEM file of CA certificates").
    /// Makes the shared context on this thread when it is new: `TLSConnection.open` makes it
    /// off the cooperative pool first.
    convenience init(options: TLSOptions) throws {
        try self.init(context: TLSContext.shared(for: options), serverName: options.serverName)
    }

    init(context: TLSContext, serverName: String?) throws {
        var error = [CChar](repeating: 0, count: 256)
        let made: OpaquePointer? = withOptionalCString(serverName) { name in
            ctls_new(context.raw, name, &error, error.count)
        }
        guard let made else {
            throw TLSHandshakeError(info: TLSInfo(error: cText(error, fallback: "cannot start TLS")), answered: false)
        }
        client = made
        LiveCount.shared.add(1)
    }

    deinit {
        ctls_free(client)
        LiveCount.shared.add(-1)
    }

    func handshake() -> Status {
        lock.withLock { Self.status(ctls_handshake(client)) }
    }

    /// False when memory ran out.
    func feed(_ bytes: [UInt8]) -> Bool {
        lock.withLock { bytes.withUnsafeBufferPointer { ctls_feed(client, $0.baseAddress, $0.count) == 1 } }
    }

    func feedEndOfStream() {
        lock.withLock { ctls_feed_eof(client) }
    }

    /// Up to `max` bytes OpenSSL wants sent, oldest first; empty when there is nothing.
    func takeOutput(max: Int) -> [UInt8] {
        lock.withLock {
            let pending = ctls_output_pending(client)
            guard pending > 0 else { return [] }
            var buffer = [UInt8](repeating: 0, count: Swift.min(pending, max))
            let got = buffer.withUnsafeMutableBufferPointer { ctls_take_output(client, $0.baseAddress, $0.count) }
            return Array(buffer.prefix(got))
        }
    }

    /// Decrypted application data (non-empty with `.ok`).
    func read(max: Int) -> (Status, [UInt8]) {
        lock.withLock {
            var buffer = [UInt8](repeating: 0, count: Swift.max(1, max))
            var got = 0
            let status = buffer.withUnsafeMutableBufferPointer { ctls_read(client, $0.baseAddress, $0.count, &got) }
            return (Self.status(status), Array(buffer.prefix(got)))
        }
    }

    func write(_ bytes: [UInt8]) -> Status {
        lock.withLock { bytes.withUnsafeBufferPointer { Self.status(ctls_write(client, $0.baseAddress, $0.count)) } }
    }

    func shutdown() {
        lock.withLock { ctls_shutdown(client) }
    }

    /// The last failure, one sanitized line.
    var error: String? { text(CTLS_ERROR) }
    /// "ok", "certificate has expired", "hostname mismatch", ...; nil without a certificate.
    var verifyResult: String? { text(CTLS_VERIFY_RESULT) }

    /// What the handshake showed: version and cipher once it succeeded, the certificate as soon
    /// as the server sent one.
    func info(error: String?) -> TLSInfo {
        TLSInfo(version: text(CTLS_VERSION), cipher: text(CTLS_CIPHER), certificate: certificate(), error: error)
    }

    private func certificate() -> CertificateInfo? {
        lock.withLock {
            guard ctls_has_certificate(client) != 0 else { return nil }
            var notBefore: Int64 = 0
            var notAfter: Int64 = 0
            let dated = ctls_validity(client, &notBefore, &notAfter) == 1
            // A hostile certificate may carry thousands of names: the first 100 are plenty to compare.
            let sanCount = Swift.min(Int(ctls_san_count(client)), 100)
            let san = (0..<sanCount).compactMap { index in
                Self.copyText(limit: 255) { ctls_san(client, Int32(index), $0, $1) }
            }
            return CertificateInfo(
                subject: Self.copyText(limit: 1024) { ctls_text(client, CTLS_SUBJECT, $0, $1) } ?? "",
                issuer: Self.copyText(limit: 1024) { ctls_text(client, CTLS_ISSUER, $0, $1) } ?? "",
                san: san,
                notBefore: dated ? Date(timeIntervalSince1970: TimeInterval(notBefore)) : nil,
                notAfter: dated ? Date(timeIntervalSince1970: TimeInterval(notAfter)) : nil,
                sha256: Self.copyText(limit: 64) { ctls_text(client, CTLS_SHA256, $0, $1) } ?? "")
        }
    }

    private func text(_ field: ctls_field) -> String? {
        lock.withLock { Self.copyText(limit: 200) { ctls_text(client, field, $0, $1) } }
    }

    /// Calls a CTLS text getter with a buffer and sanitizes what it wrote (server bytes may hold
    /// NULs, escapes or newlines); nil when the getter has no value.
    private static func copyText(limit: Int, _ getter: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: limit * 4 + 1)
        let length = buffer.withUnsafeMutableBufferPointer { getter($0.baseAddress!, $0.count) }
        guard length >= 0 else { return nil }
        let bytes = buffer.prefix(Swift.min(Int(length), buffer.count - 1)).map { UInt8(bitPattern: $0) }
        return Sanitize.text(bytes, limit: limit)
    }

    private static func status(_ raw: ctls_status) -> Status {
        switch raw {
        case CTLS_OK: return .ok
        case CTLS_WANT_INPUT: return .wantInput
        case CTLS_CLOSED: return .closed
        default: return .failed
        }
    }

}

/// A counter shared across threads.
private final class LiveCount: @unchecked Sendable {
    static let shared = LiveCount()
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func add(_ delta: Int) { lock.withLock { count += delta } }
}

extension TLSHandle {
    /// What `serverBytes` do to a fresh learned-probe client that has just sent its ClientHello,
    /// offline: fed in two pieces (records split across reads), then end of stream. For the TLS
    /// fuzz entry (Fuzz/TLS.swift) and its regression tests; any bytes must end in a value.
    static func replay(serverBytes: [UInt8]) -> TLSInfo {
        guard let handle = try? TLSHandle(options: TLSOptions(serverName: "www.lab.test")) else {
            return TLSInfo(error: "cannot start TLS")
        }
        var status = handle.handshake()
        _ = handle.takeOutput(max: 1 << 20)
        let cut = serverBytes.count / 3
        for piece in [serverBytes[..<cut], serverBytes[cut...]] where status == .wantInput && !piece.isEmpty {
            _ = handle.feed(Array(piece))
            status = handle.handshake()
            _ = handle.takeOutput(max: 1 << 20)
        }
        let ended = status == .wantInput
        if ended {
            handle.feedEndOfStream()
            status = handle.handshake()
        }
        let error = status == .failed
            ? TLSConnection.describeFailure(handle.error, received: Array(serverBytes.prefix(64)),
                                            count: serverBytes.count, ended: ended)
            : nil
        return handle.info(error: error)
    }
}
