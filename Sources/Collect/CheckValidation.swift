import Model

/// Why a check's values can't be sent to a host, or nil when they can. Render and parse both
/// ask, so a refused check never reaches the script and still comes back as a result with
/// this error: nothing is dropped silently. Quoting (``ShellQuote``) already keeps any name
/// inert for the shell; these rules keep names from being read as options by the tools.
enum CheckValidation {
    static func hostProblem(_ value: String, _ what: String) -> String? {
        if value.isEmpty { return "\(what) is empty" }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return "\(what) \(printable(value)) contains a control character (newline, tab, ...): fix the check's value"
        }
        if value.hasPrefix("-") { return "\(what) \(printable(value)) starts with '-' and would be read as an option" }
        if value.utf8.count > 253 { return "\(what) is longer than 253 bytes, the limit of a DNS name" }
        return nil
    }

    static func connectivity(_ check: ConnectivityCheck) -> String? {
        if let problem = hostProblem(check.target, "target") { return problem }
        if !check.timeout.isFinite || check.timeout <= 0 { return "timeout \(check.timeout) is not a positive number of seconds" }
        if check.ping { return nil }
        guard let port = check.port else { return "no port for a TCP check of \(check.target): set port, or ping: true" }
        if !(1...65535).contains(port) { return "port \(port) is outside 1-65535" }
        return nil
    }

    static func dns(_ check: DNSCheck) -> String? {
        if let problem = hostProblem(check.name, "name") { return problem }
        if let type = check.type,
           type.isEmpty || !type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            return "record type \(printable(type)) is not a DNS type name like A, AAAA, MX or TXT"
        }
        if let server = check.server {
            let (address, port) = splitServer(server)
            if let problem = hostProblem(address, "server") { return problem }
            if let port, Int(port).map({ !(1...65535).contains($0) }) ?? true {
                return "server port \(printable(port)) is not a number in 1-65535 (write addr#port)"
            }
        }
        return nil
    }

    /// "10.0.0.53#5353" -> ("10.0.0.53", "5353"); no "#" -> (server, nil).
    static func splitServer(_ server: String) -> (address: String, port: String?) {
        guard let hash = server.lastIndex(of: "#") else { return (server, nil) }
        return (String(server[..<hash]), String(server[server.index(after: hash)...]))
    }

    /// The value in quotes with control characters spelled out, for one-line messages.
    static func printable(_ s: String) -> String {
        "'" + s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? $0.escaped(asASCII: true) : String($0) }.joined() + "'"
    }

    /// Whole seconds for tools that take integers (nc -w, ping -W): rounded up, at least 1.
    static func wholeSeconds(_ timeout: Double) -> Int {
        guard timeout.isFinite, timeout > 0 else { return 1 }
        return max(1, Int(timeout.rounded(.up)))
    }
}
