extension Array {
    /// Sorts by a key computed once per element (not once per comparison, as `sort(by:)` with
    /// a computed key would). Equal keys keep their relative order, so the result is the same
    /// on every platform.
    public mutating func sortByKey<Key: Comparable>(_ key: (Element) -> Key) {
        guard count > 1 else { return }
        let keys = map(key)
        let order = indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        self = order.map { self[$0] }
    }

    /// True when already in `sortByKey` order (a cheap check before sorting again).
    public func isSortedByKey<Key: Comparable>(_ key: (Element) -> Key) -> Bool {
        guard count > 1 else { return true }
        var previous = key(self[0])
        for i in 1..<count {
            let k = key(self[i])
            if k < previous { return false }
            previous = k
        }
        return true
    }
}
