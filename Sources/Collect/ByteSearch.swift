#if canImport(Glibc)
import Glibc
#endif

/// Finding a byte string in captured output with libc's memchr and memcmp (Glibc's module
/// does not export memmem): the collector's output is tens of KB per host and is searched for
/// markers on every capture, where generic Collection searches cost more than the whole parse.
public enum ByteSearch {
    /// Offsets of every non-overlapping occurrence of `needle` in `haystack`, in order.
    public static func offsets(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> [Int] {
        guard !needle.isEmpty, let base = haystack.baseAddress, haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        var from = 0
        needle.withUnsafeBufferPointer { n in
            while let offset = find(n, in: base, count: haystack.count, from: from) {
                found.append(offset)
                from = offset + n.count
            }
        }
        return found
    }

    /// True when `needle` occurs in `haystack`.
    public static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        return haystack.withUnsafeBufferPointer { h in
            guard let base = h.baseAddress else { return false }
            return needle.withUnsafeBufferPointer { find($0, in: base, count: h.count, from: 0) != nil }
        }
    }

    /// Where `needle` (ASCII) first occurs in `text`, on the bytes: Foundation's `range(of:)`
    /// and the standard library's generic `firstRange(of:)` both cost more than a line's parse.
    static func range(of needle: StaticString, in text: Substring) -> Range<String.Index>? {
        let u = text.utf8
        let offset: Int?? = u.withContiguousStorageIfAvailable { h -> Int? in
            guard let base = h.baseAddress else { return nil }
            return find(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: base, count: h.count, from: 0)
        }
        let at: Int?
        if let offset { at = offset } else { at = Array(u).withUnsafeBufferPointer { h in
            h.baseAddress.flatMap { find(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: $0, count: h.count, from: 0) }
        } }
        guard let at else { return nil }
        let start = u.index(u.startIndex, offsetBy: at)
        return start..<u.index(start, offsetBy: needle.utf8CodeUnitCount)
    }

    /// The first offset ≥ `from` where `needle` (non-empty) starts.
    private static func find(_ needle: UnsafeBufferPointer<UInt8>, in base: UnsafePointer<UInt8>, count: Int, from: Int) -> Int? {
        let n = needle.count
        var at = from
        while at + n <= count {
            guard let hit = memchr(base + at, Int32(needle[0]), count - n + 1 - at) else { return nil }
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + offset, needle.baseAddress!, n) == 0 { return offset }
            at = offset + 1
        }
        return nil
    }
}
