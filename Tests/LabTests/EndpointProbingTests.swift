import Compare
import Engine
import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// The learned endpoint probes of a capture, through a real SSH session (direct-tcpip channels of
/// the lab sshd on this machine) and through `local`'s loopback sockets. This machine is shared
/// (other helpers' servers, the session's own ports), so each test probes only its own ports:
/// every other port is listed under `ignore: { endpoints: }`, as a user would exclude a port.
final class EndpointProbingTests: E2ETestCase {
    /// Ignore ranges leaving only `ports` to probe.
    static func onlyPorts(_ ports: [Int]) -> IgnoreRules {
        var ranges: [PortRange] = []
        var low = 1
        for port in ports.sorted() {
            if port > low { ranges.append(PortRange(low: low, high: port - 1)) }
            low = port + 1
        }
        if low <= 65535 { ranges.append(PortRange(low: low, high: 65535)) }
        return IgnoreRules(endpoints: ranges)
    }

    func target(_ base: HostTarget, probing ports: [Int], learning: Bool = true) -> HostTarget {
        var t = base
        t.rules = CompareRules(ignore: Self.onlyPorts(ports))
        t.checks.learning = EndpointLearning(enabled: learning)
        return t
    }

    /// A banner server and eight silent listeners, on ports below the ephemeral range.
    func servers() throws -> (banner: LabBannerServer, silent: [LabListener]) {
        let banner = try LabBannerServer(banner: "220 lab.test ESMTP Postfix (Debian/GNU)", port: try lowPort())
        cleanup { banner.stop() }
        var silent: [LabListener] = []
        for _ in 0..<8 { silent.append(try listen(.tcp, port: try lowPort())) }
        return (banner, silent)
    }

    func testEveryPortIsProbedThroughTheSessionAtOnce() async throws {
        let (banner, silent) = try servers()
        let ports = [banner.port] + silent.map(\.port)
        let on = target(sshTarget(), probing: ports)
        let off = target(sshTarget(), probing: ports, learning: false)
        let quiet = try await capture(off)
        XCTAssertEqual(quiet.gap(.endpoints)?.skipped, true)
        XCTAssertEqual(quiet.endpoints, [])
        let learned = try await capture(on)
        XCTAssertNil(learned.gap(.endpoints))
        XCTAssertEqual(learned.endpoints.map(\.port).sorted(), ports.sorted())
        let greeted = try XCTUnwrap(learned.endpoints.first { $0.port == banner.port })
        XCTAssertEqual(greeted.subject, "tcp 127.0.0.1:\(banner.port)")
        XCTAssertEqual(greeted.banner, BannerInfo(proto: "smtp", product: "Postfix", line: "220 lab.test ESMTP Postfix (Debian/GNU)"))
        XCTAssertTrue(greeted.answered)
        XCTAssertEqual(banner.linesHeard.last, "QUIT", "an SMTP greeting is answered with QUIT")
        for e in learned.endpoints where e.port != banner.port {
            XCTAssertFalse(e.answered, "\(e)")
            XCTAssertNil(e.error, "\(e)")
        }
        // Nine probes, eight of them waiting out the 1 s banner wait: at once, not one after another.
        let added = learned.durationMs - quiet.durationMs
        print("E2E: learned endpoint probes of 9 ports over SSH added \(added) ms to the capture "
              + "(\(quiet.durationMs) ms without, \(learned.durationMs) ms with)")
        XCTAssertLessThan(added, 3000)
    }

    func testLocalProbesThroughLoopbackSockets() async throws {
        let (banner, silent) = try servers()
        let t = target(localTarget(), probing: [banner.port, silent[0].port])
        let s = try await capture(t)
        XCTAssertEqual(s.endpoints.map(\.port).sorted(), [banner.port, silent[0].port].sorted())
        XCTAssertEqual(s.endpoints.first { $0.port == banner.port }?.banner?.product, "Postfix")
        XCTAssertNil(s.gap(.endpoints))
    }

    func testABannerThatChangesIsInfoAndAnUnchangedHostIsQuiet() async throws {
        let (banner, silent) = try servers()
        let t = target(sshTarget(), probing: [banner.port, silent[0].port])
        _ = try await baseline([t])
        assertFindings(verdict(try await verify([t]), t.name), [], "unchanged")
        banner.banner = "220 lab.test ESMTP Exim 4.96 Thu, 26 Nov 2026 00:21:32 +0000"
        assertFindings(verdict(try await verify([t]), t.name), [.init(.bannerChanged, .info, "tcp 127.0.0.1:\(banner.port)")],
                       "Postfix became Exim")
    }

    /// A busy server-first daemon on a port of no known use (the lab user sees no process names:
    /// only the short banner wait would apply) greets promptly in the baseline and after 1.7 s in
    /// the verify: what the baseline learned gives it the probe's whole time, so no finding. One
    /// that then stops greeting (accepts, says nothing) is still endpoint-silent, within the 5 s.
    func testASlowGreetingIsNoFindingAndAMuteOneIsStillSilent() async throws {
        let (banner, silent) = try servers()
        let t = target(sshTarget(), probing: [banner.port, silent[0].port])
        let written = try await baseline([t])
        let base = try XCTUnwrap(written.first)
        XCTAssertEqual(base.endpoints.first { $0.port == banner.port }?.answered, true)
        let subject = "tcp 127.0.0.1:\(banner.port)"

        banner.delay = .milliseconds(1700)
        let slow = verdict(try await verify([t]), t.name)
        assertFindings(slow, [], "a greeting 1.7 s late")
        XCTAssertLessThan(slow?.durationSeconds ?? 99, 8, "the greeting ends the wait, not the 5 s")
        // A capture that does not know the baseline gives up after the short wait; the differ
        // then judges the silence unproven: info, not a regression.
        let blind = try await capture(t)
        let heard = try XCTUnwrap(blind.endpoints.first { $0.port == banner.port })
        XCTAssertFalse(heard.answered, "\(heard)")
        XCTAssertNil(heard.error, "\(heard)")
        let offline = Differ.compare(baseline: base, current: blind, rules: t.rules)
        XCTAssertEqual(offline.findings.filter { $0.category == .section(.endpoints) }.map { "\($0.kind.rawValue) \($0.severity.rawValue) \($0.subject)" },
                       ["endpoint-silent info \(subject)"])

        banner.delay = .zero
        banner.mute = true
        let started = ContinuousClock.now
        let mute = verdict(try await verify([t]), t.name)
        let took = ContinuousClock.now - started
        assertFindings(mute, [.init(.endpointSilent, .regression, subject)], "accepts and never greets")
        let message = mute?.findings.first { $0.kind == .endpointSilent }?.message ?? ""
        XCTAssertTrue(message.hasSuffix("no answer now: no greeting within 5 s"), message)
        XCTAssertLessThan(took, .seconds(15), "within the probe's timeout, plus the capture")
    }

    /// The capture of an unchanged host with the lab's ports (a greeting server and eight silent
    /// listeners), without and with the baseline's answers: the ports that answer promptly and
    /// the silent ones wait no longer for knowing the baseline. Figures printed; a loose bound.
    func testKnowingTheBaselineCostsAnUnchangedHostNothing() async throws {
        let (banner, silent) = try servers()
        let t = target(sshTarget(), probing: [banner.port] + silent.map(\.port))
        let written = try await baseline([t])
        let base = try XCTUnwrap(written.first)
        let connector = try connector([t])
        var blind: [Int] = []
        var informed: [Int] = []
        for _ in 0..<3 {
            guard case let .success(a) = await Capture.snapshot(t, connector: connector, settings: Self.fast),
                  case let .success(b) = await Capture.snapshot(t, connector: connector, settings: Self.fast, baseline: base)
            else { return XCTFail("a capture failed") }
            XCTAssertEqual(a.endpoints.filter(\.answered).map(\.port), [banner.port])
            XCTAssertEqual(b.endpoints.filter(\.answered).map(\.port), [banner.port])
            blind.append(a.durationMs)
            informed.append(b.durationMs)
        }
        print("E2E: capture of an unchanged host, 9 learned ports (1 greeting, 8 silent): without the baseline "
              + "\(blind) ms, with it \(informed) ms (best \(blind.min() ?? 0) vs \(informed.min() ?? 0) ms)")
        XCTAssertLessThan(informed.min() ?? 0, (blind.min() ?? 0) + 1000, "no port waits longer for knowing the baseline")
    }

    func testAServerThatRefusesTunnelsLeavesTheSectionNotCaptured() async throws {
        let (banner, _) = try servers()
        let strict = try lab.startSSHD(authorizedKeys: [key], extraConfig: "Match User \(Lab.user)\n  AllowTcpForwarding no\n")
        let known = try lab.knownHosts(for: [strict])
        var t = target(sshTarget(), probing: [banner.port])
        t.port = strict.port
        let s = try await capture(t, knownHosts: known)
        XCTAssertEqual(s.endpoints, [])
        let gap = try XCTUnwrap(s.gap(.endpoints))
        XCTAssertFalse(gap.skipped)
        XCTAssertEqual(gap.problem, "the SSH server refuses direct-tcpip channels (administratively prohibited)")
        XCTAssertTrue(gap.fix.contains("learn: { endpoints: false }"), gap.fix)
        XCTAssertEqual(banner.linesHeard, [], "nothing reached the port")
    }

    /// `count` greeting servers, each naming its own port ("220 lab-21234 ESMTP Postfix").
    func namedServers(_ count: Int) throws -> [LabBannerServer] {
        try (0..<count).map { _ in
            let port = try lowPort()
            let server = try LabBannerServer(banner: "220 lab-\(port) ESMTP Postfix", port: port)
            cleanup { server.stop() }
            return server
        }
    }

    /// Many channels opened at once on one session (libssh2 opens channels one at a time per
    /// session): every answer must come from its own port.
    func testEveryAnswerComesFromItsOwnPort() async throws {
        let servers = try namedServers(24)
        let t = target(sshTarget(), probing: servers.map(\.port))
        for round in 1...3 {
            let s = try await capture(t)
            XCTAssertEqual(s.endpoints.count, servers.count, "round \(round)")
            for e in s.endpoints {
                XCTAssertEqual(e.banner?.line, "220 lab-\(e.port) ESMTP Postfix", "round \(round): \(e)")
            }
        }
    }

    /// A hung daemon (its accept queue full: the host's connect never completes) holds up a
    /// session's channel opens (libssh2 opens one at a time): its probe says so, the ports after
    /// it are left out with the reason (partial), never reported silent, never given its channel.
    func testAHungPortDoesNotSilenceTheOthers() async throws {
        let servers = try namedServers(4)
        // The hung port below the others: probed first (sockets are probed in port order).
        var candidate = (servers.map(\.port).min() ?? 20001) - 1
        var found: SilentListener?
        while found == nil && candidate >= 20000 {
            found = try? SilentListener(fillBacklog: true, port: candidate)
            candidate -= 1
        }
        let hung = try XCTUnwrap(found, "no free port below \(servers.map(\.port))")
        cleanup { hung.close() }
        let t = target(sshTarget(), probing: [hung.port] + servers.map(\.port))
        let s = try await capture(t)
        XCTAssertEqual(s.endpoints.map(\.port), [hung.port])
        let stuck = try XCTUnwrap(s.endpoints.first)
        XCTAssertFalse(stuck.answered)
        XCTAssertEqual(stuck.error, "no answer within 5 s")
        XCTAssertEqual(s.partialReason(.endpoints), "the channel to port \(hung.port) did not open within 5 s (a service that no "
                       + "longer accepts?), so 4 port(s) after it were not probed: an SSH session opens one channel at a time")
        XCTAssertTrue(servers.allSatisfy { $0.linesHeard.isEmpty })
        // Through local sockets a hung port holds up nothing.
        let local = try await capture(target(localTarget(), probing: [hung.port] + servers.map(\.port)))
        XCTAssertNil(local.partialReason(.endpoints))
        for e in local.endpoints where e.port != hung.port {
            XCTAssertEqual(e.banner?.line, "220 lab-\(e.port) ESMTP Postfix", "\(e)")
        }
    }
}
