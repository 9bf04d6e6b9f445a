/// `--shard I/N`: host I of N by a stable hash of the host name (FNV-1a, 64 bit), so N CI
/// jobs given the same inventory split it without overlap and without coordination, and a
/// host stays in its shard as others come and go.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        index = i
        count = n
    }

    public func contains(_ host: String) -> Bool {
        Int(Self.fnv1a(host) % UInt64(count)) == index - 1
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
