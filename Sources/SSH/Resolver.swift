import Foundation
import Net

/// Name resolution off the cooperative pool and off the poller: IP literals inline, names by
/// `NetworkAddress.resolve` (getaddrinfo, which blocks) on a few dedicated threads, so a slow
/// DNS server stalls neither.
enum Resolver {
    private static let queue = DispatchQueue(label: "postpatch.resolver", attributes: .concurrent)
    private static let slots = DispatchSemaphore(value: 8)

    /// Numeric addresses resolve at once; returns nil for names.
    static func numeric(_ host: String, port: Int) -> [NetworkAddress]? {
        NetworkAddress.numeric(host, port: port)
    }

    /// Resolves `host` on a resolver thread and calls `done` there with the addresses or an error text.
    static func resolve(_ host: String, port: Int, done: @escaping (Result<[NetworkAddress], SSHError>) -> Void) {
        queue.async {
            slots.wait()
            defer { slots.signal() }
            do {
                done(.success(try NetworkAddress.resolve(host: host, port: port)))
            } catch let failure as NetworkAddress.ResolveFailure {
                done(.failure(.resolve(host: host, reason: failure.reason)))
            } catch {
                done(.failure(.resolve(host: host, reason: "\(error)")))
            }
        }
    }
}
