@testable import Collect
import Compare
import Foundation
import TestSupport
import Model
import XCTest

/// The containers section against real, running podman containers on this machine: the
/// collector's own fragment runs under dash, podman answers, the differ judges. Isolated from the
/// machine's own containers: podman's storage, run and temp folders are the test's
/// (CONTAINERS_STORAGE_CONF, CONTAINERS_CONF), networking is off (`netns = "none"`), and the
/// runtime is runc (crun cannot start a container here: "cgroups in hybrid mode not supported").
/// The image is a tarball of this machine's busybox and the libraries it links.
final class ContainersLiveTests: XCTestCase {
    private var dir: URL!
    private var env: [String: String] = [:]
    private var podman = ""
    /// What podman leaves on the machine outside the test's folders: its blob cache
    /// (/var/lib/containers/cache, for root whatever the storage) and the cgroups runc made
    /// (libpod_parent/conmon under each cgroup v1 controller). Removed after the test when they
    /// were not there before it.
    private static let machineLeftovers = ["/var/lib/containers/cache", "/var/lib/containers"]
    private var preexisting: Set<String> = []

    override func setUpWithError() throws {
        try LabSkip.requireRoot("rootful podman containers")
        podman = try LabSkip.tool("podman", package: "podman")
        _ = try LabSkip.tool("runc", package: "runc")
        _ = try LabSkip.tool("busybox", package: "busybox")
        preexisting = Set((Self.machineLeftovers + Self.cgroupFolders()).filter { FileManager.default.fileExists(atPath: $0) })
        dir = try LabProcess.makeTempDir("podman")
        let d = dir.path
        try """
            [storage]
            driver = "overlay"
            graphroot = "\(d)/graph"
            runroot = "\(d)/run"

            """.write(toFile: d + "/storage.conf", atomically: true, encoding: .utf8)
        try """
            [containers]
            default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
            netns = "none"
            [engine]
            runtime = "runc"
            tmp_dir = "\(d)/tmp"
            events_logger = "none"
            volume_path = "\(d)/volumes"
            static_dir = "\(d)/graph/libpod"

            """.write(toFile: d + "/containers.conf", atomically: true, encoding: .utf8)
        env = ["CONTAINERS_STORAGE_CONF": d + "/storage.conf", "CONTAINERS_CONF": d + "/containers.conf"]
    }

    override func tearDownWithError() throws {
        guard let dir else { return }
        _ = try? LabProcess.runBlocking(podman, ["rm", "-a", "-f", "-t", "0"], env: env, timeout: .seconds(120))
        _ = try? LabProcess.runBlocking(podman, ["rmi", "-a", "-f"], env: env, timeout: .seconds(60))
        try? FileManager.default.removeItem(at: dir)
        if !preexisting.contains(Self.machineLeftovers[0]) { try? FileManager.default.removeItem(atPath: Self.machineLeftovers[0]) }
        for path in Self.cgroupFolders().reversed() + [Self.machineLeftovers[1]] where !preexisting.contains(path) {
            rmdir(path)   // empty folders only: a cgroup still in use, or a non-empty folder, stays
        }
    }

    /// libpod_parent and its conmon child under each cgroup v1 controller, children first when reversed.
    private static func cgroupFolders() -> [String] {
        let controllers = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        return controllers.sorted().flatMap { ["/sys/fs/cgroup/\($0)/libpod_parent", "/sys/fs/cgroup/\($0)/libpod_parent/conmon"] }
    }

    @discardableResult
    private func run(_ args: [String]) throws -> String {
        let r = try LabProcess.runBlocking(podman, args, env: env, timeout: .seconds(120))
        guard r.status == 0 else { throw LabError("podman \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr.suffix(600))") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// busybox with the libraries it links, imported as `tag`; `marker` makes another image id.
    private func image(_ tag: String, marker: String) throws {
        let root = dir.appendingPathComponent("rootfs-\(marker)").path
        let busybox = try LabSkip.tool("busybox", package: "busybox")
        let libs = try LabProcess.runBlocking("/usr/bin/ldd", [busybox]).stdout.split(separator: "\n")
            .compactMap { line -> String? in line.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("/") }.map(String.init) }
        var script = "set -e; mkdir -p '\(root)/bin' '\(root)/etc'; cp '\(busybox)' '\(root)/bin/busybox'\n"
        script += "for a in sh sleep; do ln -s busybox '\(root)/bin/'$a; done; echo \(marker) > '\(root)/etc/pp-marker'\n"
        for lib in libs { script += "mkdir -p '\(root)'\"$(dirname '\(lib)')\"; cp -L '\(lib)' '\(root)\(lib)'\n" }
        script += "tar -C '\(root)' -cf '\(root).tar' .\n"
        let made = try LabProcess.sh(script)
        guard made.status == 0 else { throw LabError("building the image rootfs failed: \(made.stderr)") }
        try run(["import", root + ".tar", tag])
    }

    /// The collector's containers fragment, framed as in every capture, run under dash.
    private func capture() throws -> Snapshot {
        let dash = try LabSkip.tool("dash", package: "dash")
        let script = ScriptFraming.preamble(nonce: "live", stepTimeout: 60) + ContainersSection.fragment + ScriptFraming.epilogue
        let r = try LabProcess.runBlocking(dash, ["-s"], env: env, input: script, timeout: .seconds(180))
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = SnapshotParser.parse(stdout: r.stdoutBytes, host: "live", nonce: "live", checks: CheckSet())
        XCTAssertTrue(s.isCaptured(.containers), "\(s.captureNotes)")
        return s
    }

    /// The script here is the containers fragment alone: the other sections are not captured,
    /// and only the containers' findings are the test's.
    private func containerFindings(_ a: Snapshot, _ b: Snapshot) -> [Finding] {
        Differ.compare(baseline: a, current: b, rules: CompareRules()).findings.filter { $0.category == .section(.containers) }
    }

    func testStoppedRestartedAndRecreatedContainersOfRealPodman() throws {
        try image("localhost/pp-lab/busybox:1", marker: "one")
        try image("localhost/pp-lab/busybox:2", marker: "two")
        let sleeper = ["/bin/sleep", "100000"]
        try run(["create", "--name", "pp-web", "--restart", "always", "localhost/pp-lab/busybox:1"] + sleeper)
        try run(["run", "-d", "--name", "pp-api", "--restart", "unless-stopped", "localhost/pp-lab/busybox:1"] + sleeper)
        try run(["run", "-d", "--name", "pp-cache", "--restart", "always", "localhost/pp-lab/busybox:1"] + sleeper)
        try run(["run", "-d", "--name", "pp-db", "--restart", "on-failure", "localhost/pp-lab/busybox:1"] + sleeper)

        let before = try capture()
        XCTAssertEqual(before.containers.map(\.name), ["pp-api", "pp-cache", "pp-db", "pp-web"])
        XCTAssertEqual(before.containers.map(\.state), ["running", "running", "running", "created"])
        XCTAssertEqual(before.containers.map { $0.restartPolicy ?? "?" }, ["unless-stopped", "always", "on-failure", "always"])
        XCTAssertTrue(before.containers.allSatisfy { $0.engine == "podman" && $0.imageID?.count == 64 && $0.id.count == 64 }, "\(before.containers)")
        // Noise: the unchanged engine (three containers running, one created) captured twenty
        // times, as a drift schedule would, gives the same containers and no finding.
        for round in 1...20 {
            let again = try capture()
            XCTAssertEqual(again.containers, before.containers, "round \(round): an unchanged engine captures the same")
            XCTAssertEqual(containerFindings(before, again), [], "round \(round)")
        }

        try run(["restart", "-t", "0", "pp-api"])
        try run(["stop", "-t", "0", "pp-cache"])
        try run(["rm", "-f", "-t", "0", "pp-db"])
        try run(["run", "-d", "--name", "pp-db", "--restart", "on-failure", "localhost/pp-lab/busybox:2"] + sleeper)
        let after = try capture()
        let findings = containerFindings(before, after)
        XCTAssertEqual(findings.map { "\($0.kind) \($0.severity.rawValue) \($0.subject)" }.sorted(), [
            "container-image-changed info pp-db", "container-restarted info pp-api", "container-stopped regression pp-cache",
        ], findings.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(findings.first { $0.kind == .containerStopped }?.message,
                       "container pp-cache (podman, image localhost/pp-lab/busybox:1) was running, now exited")
    }
}
