import Model

/// Loaded kernel modules from /proc/modules (kernel/module/procfs.c): one line per module,
/// `NAME SIZE REFCOUNT DEPS STATE ADDRESS [(TAINTS)]`, e.g.
/// `zfs 5615616 6 zunicode,spl, Live 0x0000000000000000 (POE)`. Modules being unloaded are
/// already gone for the comparison; sizes, use counts and users are not kept (they move).
enum ModulesParser {
    static func parse(_ text: String) -> (items: [KernelModule], notes: [String]) {
        var items: [String: KernelModule] = [:]
        var unread = 0
        for line in text.split(separator: "\n") where !line.allSatisfy({ $0 == " " }) {
            let f = line.split(separator: " ")
            guard f.count >= 5, isName(f[0]), Int(f[1]) != nil else { unread += 1; continue }
            if f[4] == "Unloading" { continue }
            var taints = ""
            if let last = f.last, f.count >= 7, last.count >= 2, last.first == "(", last.last == ")" {
                taints = String(last.dropFirst().dropLast())
            }
            items[String(f[0])] = KernelModule(name: String(f[0]), taints: taints)
        }
        let notes = unread == 0 ? [] : ["modules: \(unread) /proc/modules lines not understood"]
        return (items.values.sorted { $0.name < $1.name }, notes)
    }

    /// Module names are C identifiers as the kernel stores them (dashes become underscores at load).
    static func isName(_ s: Substring) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }
}
