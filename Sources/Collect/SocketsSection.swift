import Model

/// Listening sockets: the list comes from `ss -tulpne` (sock_diag netlink: the kernel walks only
/// its listening sockets), which also names each socket's process. Where ss is missing or fails,
/// /proc/net's tables give the list (filtered on the host to listening rows) and `netstat`, when
/// present, the names, joined on the socket inode. Both sources print the same endpoints
/// (SocketAddress drops ss's `%iface` scopes and reads its `*`), so a baseline from either
/// compares equal (SocketsParserTests holds one real capture read both ways).
///
/// Reading /proc/net/tcp and tcp6 walks the kernel's whole established-socket hash table: on the
/// lab host that cost about 9 ms of CPU per capture even with 8 sockets on it, where ss's
/// netlink dump costs next to nothing on top of ss's own start (docs/bench.md).
enum SocketsSection {
    // The steps of the section (`sockets.<tool>` in the script and its output).
    static let namesStep = Step(.sockets, "names")
    static let netstatStep = Step(.sockets, "netstat")
    static let procStep = Step(.sockets, "proc")
    static let ssStep = Step(.sockets, "ss")

    static let tables: [(file: String, proto: SocketProtocol)] = [("tcp", .tcp), ("tcp6", .tcp6), ("udp", .udp), ("udp6", .udp6)]
    static let portRangeFile = "/proc/sys/net/ipv4/ip_local_port_range"

    /// ss first, without `timeout` (see ``ScriptFraming``: a netlink dump and /proc reads); its exit status (`$PP_STEP_STATUS`, set by `pp_end`) decides whether the /proc step reads
    /// the tables or only the ephemeral port range. One awk over what it reads, each file after a
    /// `== PATH` line (no table row starts so): one exec instead of one per file. No `timeout`:
    /// reading /proc cannot hang. awk reads the port range whole (a byte-at-a-time `read` of that
    /// sysctl gets one byte, see SystemSection).
    static let fragment: String =
        "pp_ss_status=\n"
        + "if pp_has ss; then\n"
        + ScriptFraming.step(ssStep, "ss -tulpne")
        + "pp_ss_status=$PP_STEP_STATUS\n"
        + "elif pp_has netstat; then\n"
        + ScriptFraming.step(netstatStep, "pp_to netstat -tulnpe")
        + "else\n" + ScriptFraming.missing(namesStep, tools: ["ss", "netstat"]) + "fi\n"
        + "if [ -r /proc/net/tcp ] || [ -r \(portRangeFile) ]; then\n"
        + ScriptFraming.step(procStep, """
        set --
        if [ "$pp_ss_status" != 0 ]; then
            for pp_table in \(tables.map { "/proc/net/\($0.file)" }.joined(separator: " ")); do
                if [ -r "$pp_table" ]; then set -- "$@" "$pp_table"; fi
            done
        fi
        if [ -r \(portRangeFile) ]; then set -- "$@" \(portRangeFile); fi
        if pp_has awk; then
            awk 'FNR == 1 { print "== " FILENAME } FILENAME !~ /^\\/proc\\/net/ || FNR == 1 || $4 == (FILENAME ~ /tcp/ ? "0A" : "07")' "$@"
        else
            for pp_file; do echo "== $pp_file"; cat "$pp_file"; done
        fi
        """)
        + "fi\n"

    /// The `sockets.proc` step's text split by its `== PATH` lines: path -> that file's text.
    static func files(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var path: String?
        var lines: [Substring] = []
        func flush() { if let path { out[path] = lines.joined(separator: "\n") } }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("== /proc/") {
                flush()
                path = String(line.dropFirst(3))
                lines = []
            } else {
                lines.append(line)
            }
        }
        flush()
        return out
    }

    static func parse(_ output: ScriptOutput, arch: String, uid: Int?)
        -> (sockets: [ListeningSocket], range: PortRange?, notes: [String]) {
        var notes: [String] = []
        let bigEndian = SocketAddress.bigEndianArchs.contains(arch)
        var rows: [SocketRow] = []
        let proc = output[step: procStep]
        let files = proc.map { Self.files($0.stdout) } ?? [:]
        if let problem = proc?.problem("sockets", "reading /proc/net") { notes.append(problem) }
        for table in tables {
            guard let text = files["/proc/net/\(table.file)"] else { continue }
            let parsed = ProcNetParser.parse(text, protocol: table.proto, bigEndian: bigEndian)
            rows += parsed.items
            notes += parsed.notes
        }
        let sawProc = files["/proc/net/tcp"] != nil
        var named: [SocketRow] = []
        var tool = ""
        if let step = output[step: ssStep] {
            tool = "ss"
            if let problem = step.problem("sockets", "ss") { notes.append(problem) }
            let parsed = SSParser.parse(step.stdout)
            named = parsed.items
            notes += parsed.notes
        } else if let step = output[step: netstatStep] {
            tool = "netstat"
            if let problem = step.problem("sockets", "netstat") { notes.append(problem) }
            named = NetstatParser.parse(step.stdout).items
        } else if output.missing[namesStep.name] != nil {
            notes.append("sockets: no ss or netstat on the host: process names unknown")
        }
        // A clean ss run is the list itself (the script then reads no tables).
        let ssListed = output[step: ssStep]?.status == 0
        if sawProc {
            rows = attachNames(to: rows, from: named)
        } else if ssListed {
            rows = named
        } else {
            notes.append("sockets: no /proc/net tables; listed from \(tool.isEmpty ? "nothing" : tool)")
            rows = named
        }
        if let uid, uid != 0, !tool.isEmpty, rows.contains(where: { $0.socket.process == nil }) {
            notes.append("sockets: not run as root: \(tool) names only the user's own processes")
        }
        return (dedupe(rows.map(\.socket)), portRange(files[portRangeFile]), notes)
    }

    /// Process names by inode when both sides have it, else by endpoint.
    static func attachNames(to rows: [SocketRow], from named: [SocketRow]) -> [SocketRow] {
        var byInode: [String: ListeningSocket] = [:]
        var byEndpoint: [String: ListeningSocket] = [:]
        for row in named where row.socket.process != nil {
            if let inode = row.inode, inode != "0" { byInode[inode] = row.socket }
            byEndpoint[row.socket.endpoint] = byEndpoint[row.socket.endpoint] ?? row.socket
        }
        return rows.map { row in
            var row = row
            let match = row.inode.flatMap { byInode[$0] } ?? byEndpoint[row.socket.endpoint]
            row.socket.process = match?.process
            row.socket.pid = match?.pid
            return row
        }
    }

    /// One entry per endpoint and process: SO_REUSEPORT workers and per-interface binds of the
    /// same daemon would otherwise make the count drift with the worker count. Lowest pid kept.
    static func dedupe(_ sockets: [ListeningSocket]) -> [ListeningSocket] {
        var seen: [String: ListeningSocket] = [:]
        for s in sockets {
            let key = s.endpoint + "|" + (s.process ?? "")
            if let old = seen[key], (old.pid ?? Int.max) <= (s.pid ?? Int.max) { continue }
            seen[key] = s
        }
        var unique = Array(seen.values)
        unique.sortByKey { SortPair(first: $0.sortKey, second: $0.process ?? "") }
        return unique
    }

    static func portRange(_ text: String?) -> PortRange? {
        let parts = (text ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]) else { return nil }
        return PortRange(low: low, high: high)
    }
}

/// Two strings compared as a tuple (tuples are not Comparable types in Swift).
struct SortPair: Comparable {
    var first: String
    var second: String
    static func < (a: SortPair, b: SortPair) -> Bool { (a.first, a.second) < (b.first, b.second) }
}

extension SocketsSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [procStep], tools: "/proc/net", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output, arch: snapshot.system.arch, uid: SystemSection.uid(output))
            snapshot.sockets = parsed.sockets
            snapshot.ephemeralPortRange = parsed.range
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["SS", "ProcNet", "Netstat"])
}
