import CTLS
import Foundation
import Model

/// The settings TLS clients share: one CTLS context per (verify, CA file) in this process.
/// Why shared: loading the system trust store takes about 0.1 s of CPU, which a declared check
/// per host across a fleet would otherwise pay every time. OpenSSL allows one context to serve
/// clients on many threads. A CA file is keyed with its size and modification time, so an
/// edited file is read again; the cache holds a handful of contexts and starts over past that.
final class TLSContext: @unchecked Sendable {
    let raw: OpaquePointer

    private init(raw: OpaquePointer) { self.raw = raw }

    deinit { ctls_context_free(raw) }

    /// The shared context for `options`, made on first use. Throws the reason as one line
    /// ("cannot read the CA file /x.pem (...): give a PEM file of CA certificates").
    static func shared(for options: TLSOptions) throws -> TLSContext {
        let key = Key(verify: options.verify, caFile: options.caFile, stamp: options.caFile.map(stamp(of:)) ?? "")
        if let known = cache.withLock({ contexts[key] }) { return known }
        let made = try make(verify: options.verify, caFile: options.caFile)
        return cache.withLock {
            if let raced = contexts[key] { return raced }
            if contexts.count >= limit { contexts.removeAll() }
            contexts[key] = made
            return made
        }
    }

    /// The same, made on a thread of its own when it is new (reading the system trust store
    /// must not hold a thread of the cooperative pool for a tenth of a second).
    static func sharedOffPool(for options: TLSOptions) async throws -> TLSContext {
        if let known = cached(for: options) { return known }
        return try await ThreadBridge.run("TLS context") { _ in try shared(for: options) }
    }

    private static func cached(for options: TLSOptions) -> TLSContext? {
        let key = Key(verify: options.verify, caFile: options.caFile, stamp: options.caFile.map(stamp(of:)) ?? "")
        return cache.withLock { contexts[key] }
    }

    private struct Key: Hashable {
        var verify: Bool
        var caFile: String?
        var stamp: String
    }

    private static let limit = 16
    private static let cache = NSLock()
    nonisolated(unsafe) private static var contexts: [Key: TLSContext] = [:]

    private static func make(verify: Bool, caFile: String?) throws -> TLSContext {
        var error = [CChar](repeating: 0, count: 512)
        let made: OpaquePointer? = withOptionalCString(caFile) { path in
            var options = ctls_options(verify: verify ? 1 : 0, ca_file: path)
            return ctls_context_new(&options, &error, error.count)
        }
        guard let made else { throw TLSHandshakeError(info: TLSInfo(error: cText(error, fallback: "cannot start TLS")), answered: false) }
        return TLSContext(raw: made)
    }

    private static func stamp(of path: String) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "absent" }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(modified)"
    }
}

/// A NUL-terminated C buffer as one sanitized line.
func cText(_ buffer: [CChar], fallback: String) -> String {
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return Sanitize.text(text.isEmpty ? fallback : text)
}

func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
