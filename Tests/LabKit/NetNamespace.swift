import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A network namespace `pp-<random>` joined to the machine by a veth pair, for lab hosts that
/// need their own address (systemd-nspawn containers). Addresses come from 198.18.0.0/15, the
/// RFC 2544 benchmark range, never from the private ranges: each namespace gets a /30 that no
/// interface or route on the machine overlaps (host side .1, namespace side .2).
public final class NetNamespace: @unchecked Sendable {
    /// `pp-xxxxxx`, as `ip netns list` shows it.
    public let name: String
    /// The namespace side of the veth (`eth0` inside): where the lab host's servers listen.
    public let address: String
    /// The machine side of the veth: the source address the lab host sees.
    public let hostAddress: String
    /// The machine side's interface, `ve-pp-xxxxxx`: named as systemd-nspawn names its own host-side
    /// veths (`ve-MACHINE`), so captures of this machine ignore it by default as they ignore those.
    public let hostInterface: String
    /// Handed to `systemd-nspawn --network-namespace-path=`.
    public var path: String { "/run/netns/\(name)" }

    static let ip = "/usr/sbin/ip"
    /// Serialises address choice across processes, so two test runs never pick the same /30.
    static let lockPath = "/run/postpatch-lab-netns.lock"

    private init(name: String, address: String, hostAddress: String, hostInterface: String) {
        self.name = name
        self.address = address
        self.hostAddress = hostAddress
        self.hostInterface = hostInterface
    }

    /// Creates the namespace, the veth pair and both addresses; loopback is up inside, and
    /// 198.18.0.0/15 routes through the machine side (so hosts can reach each other if the
    /// machine forwards; nothing else is routed: no default route).
    public static func create() async throws -> NetNamespace {
        guard FileManager.default.isExecutableFile(atPath: ip) else {
            throw LabError("\(ip) is missing: install it with `apt-get install -y iproute2`")
        }
        return try await LabProcess.onThread("netns create") { try createLocked() }
    }

    private static func createLocked() throws -> NetNamespace {
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LabError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }

        var id = randomID()
        while FileManager.default.fileExists(atPath: "/run/netns/pp-\(id)") { id = randomID() }
        let addresses = try LabProcess.runBlocking(ip, ["-o", "-4", "addr", "show"]).stdout
        let routes = try LabProcess.runBlocking(ip, ["-o", "-4", "route", "show", "table", "all"]).stdout
        let taken = NetNamespace.takenRanges(addressOutput: addresses, routeOutput: routes)
        guard let base = NetNamespace.freeSubnet(taken: taken) else {
            throw LabError("no free /30 left in 198.18.0.0/15 for a lab namespace: delete stale ones (`ip netns list`, names pp-*)")
        }
        let ns = NetNamespace(name: "pp-\(id)", address: dotted(base + 2), hostAddress: dotted(base + 1),
                              hostInterface: "ve-pp-\(id)")
        do {
            try ns.must(["netns", "add", ns.name])
            try ns.must(["link", "add", ns.hostInterface, "type", "veth", "peer", "name", "eth0", "netns", ns.name])
            try ns.must(["addr", "add", "\(ns.hostAddress)/30", "dev", ns.hostInterface])
            try ns.must(["link", "set", ns.hostInterface, "up"])
            try ns.must(["-n", ns.name, "addr", "add", "\(ns.address)/30", "dev", "eth0"])
            try ns.must(["-n", ns.name, "link", "set", "lo", "up"])
            try ns.must(["-n", ns.name, "link", "set", "eth0", "up"])
            try ns.must(["-n", ns.name, "route", "add", "198.18.0.0/15", "via", ns.hostAddress])
        } catch {
            ns.deleteNow()
            throw error
        }
        return ns
    }

    /// Runs `argv` inside the namespace (`ip netns exec`), bounded by `timeout`.
    public func run(_ argv: [String], timeout: Duration = .seconds(60)) async throws -> (status: Int32, output: String) {
        let result = try await LabProcess.run(Self.ip, ["netns", "exec", name] + argv, timeout: timeout)
        return (result.status, result.output)
    }

    /// Takes the link down on the machine side: the namespace becomes unreachable, as if its
    /// cable were pulled (its own processes keep running).
    public func cut() async throws {
        try await LabProcess.onThread("netns cut") { try self.must(["link", "set", self.hostInterface, "down"]) }
    }

    /// Brings the link back up after `cut()`.
    public func restore() async throws {
        try await LabProcess.onThread("netns restore") { try self.must(["link", "set", self.hostInterface, "up"]) }
    }

    /// Removes the veth pair and the namespace. Processes still inside keep the namespace alive
    /// (without its veth): stop them first. Safe to call twice.
    public func delete() async {
        _ = try? await LabProcess.onThread("netns delete") { self.deleteNow() }
    }

    /// Pids of processes whose network namespace is this one (`ip netns pids`).
    public func pids() async -> [pid_t] {
        let out = (try? await LabProcess.onThread("netns pids") {
            try LabProcess.runBlocking(Self.ip, ["netns", "pids", self.name]).stdout
        }) ?? ""
        return out.split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
    }

    func deleteNow() {
        _ = try? LabProcess.runBlocking(Self.ip, ["link", "del", hostInterface])
        _ = try? LabProcess.runBlocking(Self.ip, ["netns", "del", name])
    }

    private func must(_ args: [String]) throws {
        let r = try LabProcess.runBlocking(Self.ip, args)
        guard r.status == 0 else {
            throw LabError("`ip \(args.joined(separator: " "))` failed for lab namespace \(name): \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    private static func randomID() -> String {
        String(UInt32.random(in: 0..<0x100_0000), radix: 16).leftPadded(to: 6)
    }
}

extension NetNamespace {
    /// 198.18.0.0/15 as an integer range.
    static let benchmarkRange: ClosedRange<UInt32> = 0xC612_0000...0xC613_FFFF

    /// Address ranges already in use on the machine, from `ip -o -4 addr show` (the `inet`
    /// field) and `ip -o -4 route show` (the first field, unless `default`). Unparsable lines
    /// are skipped: a missed range only risks a failed `ip addr add`, which is reported.
    static func takenRanges(addressOutput: String, routeOutput: String) -> [ClosedRange<UInt32>] {
        var cidrs: [Substring] = []
        for line in addressOutput.split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if let i = fields.firstIndex(of: "inet"), i + 1 < fields.count { cidrs.append(fields[i + 1]) }
        }
        for line in routeOutput.split(separator: "\n") {
            var fields = line.split(whereSeparator: \.isWhitespace)[...]
            // Typed routes (`local`, `broadcast`, `unicast`) put the destination second.
            if let first = fields.first, ["local", "broadcast", "unicast", "multicast"].contains(first) {
                fields = fields.dropFirst()
            }
            if let dest = fields.first, dest != "default" { cidrs.append(dest) }
        }
        return cidrs.compactMap(range(ofCIDR:))
    }

    /// A random /30 base inside 198.18.0.0/15 overlapping none of `taken`.
    static func freeSubnet(taken: [ClosedRange<UInt32>]) -> UInt32? {
        for _ in 0..<512 {
            let base = benchmarkRange.lowerBound + UInt32.random(in: 1..<0x8000) * 4
            if !taken.contains(where: { $0.overlaps(base...(base + 3)) }) { return base }
        }
        return nil
    }

    /// "a.b.c.d/len" (or a bare address, a /32) as the range of addresses it covers.
    static func range(ofCIDR text: Substring) -> ClosedRange<UInt32>? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = parse(first) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : 32
        guard let length, (0...32).contains(length) else { return nil }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        return (address & mask)...((address & mask) | ~mask)
    }

    static func parse(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4 else { return nil }
        return octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    static func dotted(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
