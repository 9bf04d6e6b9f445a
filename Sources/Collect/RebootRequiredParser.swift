/// Whether the host wants a reboot, from the `system.reboot` step.
///
/// Debian/Ubuntu: /var/run/reboot-required (and .pkgs, the packages that asked). RHEL family:
/// `needs-restarting -r` (exit 1 = reboot needed, 0 = not) and otherwise the newest installed
/// kernel (by install time) against the running one. nil when none of these could tell.
enum RebootRequiredParser {
    static func parse(_ text: String) -> (required: Bool?, packages: [String]) {
        let kv = KeyValueLines.parse(text)
        let packages = Array(Set(KeyValueLines.all("pkg", in: text).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty })).sorted()
        switch kv["flag"] {
        case "present": return (true, packages)
        case "absent": return (false, [])
        default: break
        }
        switch kv["needs-restarting"] {
        case "0": return (false, [])
        case "1": return (true, [])
        default: break
        }
        guard let running = kv["running"] else { return (nil, []) }
        var kernels: [(time: Int, version: String)] = []
        for value in KeyValueLines.all("kernel", in: text) {
            let parts = value.split(separator: " ")
            if parts.count == 2, let time = Int(parts[0]) { kernels.append((time, String(parts[1]))) }
        }
        guard let newest = kernels.map(\.time).max() else { return (nil, []) }
        let newestVersions = kernels.filter { $0.time == newest }.map(\.version)
        return (!newestVersions.contains(running), [])
    }
}
