import Model

/// Alpine's installed database, /lib/apk/db/installed, cut on the host to its P: (name),
/// V: (version) and A: (arch) lines; a record starts at each P: line.
enum ApkParser {
    static func parse(_ text: String) -> (items: [InstalledPackage], notes: [String]) {
        var items: [InstalledPackage] = []
        var name: String?, version: String?, arch: String?
        func flush() {
            if let name, let version { items.append(InstalledPackage(name: name, arch: arch ?? "", version: version, manager: .apk)) }
            name = nil; version = nil; arch = nil
        }
        for line in text.lines() {
            guard line.count >= 2, line.dropFirst().hasPrefix(":") else { continue }
            let value = String(line.dropFirst(2))
            switch line.first {
            case "P": flush(); name = value
            case "V": version = value
            case "A": arch = value
            default: continue
            }
        }
        flush()
        return (items, [])
    }
}
