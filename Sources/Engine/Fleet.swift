/// Runs one piece of work per host, at most `parallel` at a time, each host on its own:
/// a failing or slow host never stalls or fails the others. Results keep the input order.
public enum Fleet {
    public static func run<R: Sendable>(_ targets: [HostTarget], parallel: Int,
                                        onDone: (@Sendable (Int, R) -> Void)? = nil,
                                        _ body: @escaping @Sendable (HostTarget) async -> R) async -> [R] {
        var results = [R?](repeating: nil, count: targets.count)
        await withTaskGroup(of: (Int, R).self) { group in
            var next = 0
            let width = max(1, parallel)
            while next < targets.count && next < width {
                let i = next, t = targets[i]
                group.addTask { (i, await body(t)) }
                next += 1
            }
            while let (i, r) = await group.next() {
                results[i] = r
                onDone?(i, r)
                if next < targets.count {
                    let j = next, t = targets[j]
                    group.addTask { (j, await body(t)) }
                    next += 1
                }
            }
        }
        return results.map { $0! }
    }
}
