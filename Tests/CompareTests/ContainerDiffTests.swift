import XCTest
import Model
@testable import Compare

/// Containers by name. The values are those of the podman 4.3 capture kept under
/// Tests/Fixtures/collect/containers (before and after: pp-cache stopped, pp-api restarted,
/// pp-db recreated from another image, pp-job removed while exited, pp-new added).
final class ContainerDiffTests: DiffTestCase {
    static let image3 = "60d195bd056548cf0144ed753e5ff0857331e9d78dc2a02ebf1e52980da53d7a"
    static let image4 = "4711af1b33dbf701e10f832e1468c868c5335733d36751d1f0b2bcd3b4111c4f"

    static func podman(_ name: String, _ id: String, _ state: String, image: String = image3, policy: String = "no",
                       startedAt: String? = nil, restarts: Int = 0) -> Container {
        Container(engine: "podman", name: name, id: id, image: image == image4 ? "localhost/pp-fixture/busybox:4" : "localhost/pp-fixture/busybox:3",
                  imageID: image, state: state, restartPolicy: policy, restartCount: restarts, startedAt: startedAt)
    }

    static let before = [
        podman("pp-web", "46b46e20531b", "created", policy: "always"),
        podman("pp-api", "ad3724a84eef", "running", policy: "unless-stopped", startedAt: "2026-11-25 23:57:20.415111657 +0000 UTC"),
        podman("pp-cache", "88a610f0d881", "running", policy: "always", startedAt: "2026-11-25 23:57:21.180502687 +0000 UTC"),
        podman("pp-db", "529d7c2efd70", "running", policy: "on-failure", startedAt: "2026-11-25 23:57:21.952600201 +0000 UTC"),
        podman("pp-paused", "a818c75c256c", "paused", startedAt: "2026-11-25 23:57:22.601751757 +0000 UTC"),
        podman("pp-job", "776786369fb0", "exited", startedAt: "2026-11-25 23:57:23.494384631 +0000 UTC"),
    ]

    static let after = [
        podman("pp-web", "46b46e20531b", "created", policy: "always"),
        podman("pp-api", "ad3724a84eef", "running", policy: "unless-stopped", startedAt: "2026-11-25 23:57:29.027605271 +0000 UTC"),
        podman("pp-cache", "88a610f0d881", "exited", policy: "always", startedAt: "2026-11-25 23:57:21.180502687 +0000 UTC"),
        podman("pp-paused", "a818c75c256c", "paused", startedAt: "2026-11-25 23:57:22.601751757 +0000 UTC"),
        podman("pp-db", "9d08f1b05c29", "running", image: image4, policy: "on-failure", startedAt: "2026-11-25 23:57:31.041730072 +0000 UTC"),
        podman("pp-new", "9e7294e359bc", "running", image: image4, startedAt: "2026-11-25 23:57:32.2539421 +0000 UTC"),
    ]

    func testTheCapturedPairGivesOneFindingPerChange() {
        let v = diff(baseline: { $0.containers = Self.before }) { $0.containers = Self.after }
        XCTAssertEqual(v.summary.sorted(), ["container-image-changed info pp-db", "container-restarted info pp-api",
                                            "container-stopped regression pp-cache"])
        let items = v.items.filter { $0.category == .section(.containers) }.map(\.subject)
        XCTAssertEqual(items, ["pp-api", "pp-cache", "pp-db", "pp-job", "pp-new", "pp-paused", "pp-web"])
        let stopped = v.findings.first { $0.kind == .containerStopped }
        XCTAssertEqual(stopped?.message, "container pp-cache (podman, image localhost/pp-fixture/busybox:3) was running, now exited")
        XCTAssertEqual(v.findings.first { $0.kind == .containerImageChanged }?.message,
                       "container pp-db runs image 4711af1b33db (localhost/pp-fixture/busybox:4), was 60d195bd0565 (localhost/pp-fixture/busybox:3)")
        XCTAssertEqual(v.findings.first { $0.kind == .containerRestarted }?.message,
                       "container pp-api was restarted (started 2026-11-25 23:57:20.415111657 +0000 UTC, now 2026-11-25 23:57:29.027605271 +0000 UTC)")
    }

    func testUnchangedContainersGiveNoFinding() {
        let v = diff(baseline: { $0.containers = Self.before }) { $0.containers = Self.before.reversed() }
        XCTAssertEqual(v.summary, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.containers) }.count, 6)
    }

    func testARunningContainerThatIsGoneIsARegressionAndAnExitedOneIsNot() {
        let v = diff(baseline: { $0.containers = Self.before }) { $0.containers = Array(Self.before.prefix(2)) }
        XCTAssertEqual(v.summary.sorted(), ["container-stopped regression pp-cache", "container-stopped regression pp-db"])
        XCTAssertEqual(v.findings.first?.message.hasSuffix("was running, now gone"), true, "\(v.findings)")
    }

    func testPausedAndRestartingAreNotRunning() {
        for state in ["paused", "restarting"] {
            let v = diff(baseline: { $0.containers = Self.before }) {
                $0.containers = replacing(Self.before, where: { $0.name == "pp-api" }, with: { $0.state = state })
            }
            XCTAssertEqual(v.summary, ["container-stopped regression pp-api"], state)
        }
    }

    func testRestartCountRecreationAndAStartAreRestarts() {
        func one(_ change: @escaping (inout Container) -> Void) -> [Finding] {
            diff(baseline: { $0.containers = Self.before }) {
                $0.containers = replacing(Self.before, where: { $0.name == "pp-api" || $0.name == "pp-job" }, with: change)
            }.findings
        }
        let counted = one { c in if c.name == "pp-api" { c.restartCount = 2 } }
        XCTAssertEqual(counted.map(\.message), ["container pp-api was restarted by its engine 2 time(s) (restart policy unless-stopped)"])
        let recreated = one { c in if c.name == "pp-api" { c.id = "0123456789ab" } }
        XCTAssertEqual(recreated.map(\.message), ["container pp-api was recreated (id ad3724a84eef → 0123456789ab)"])
        let started = one { c in if c.name == "pp-job" { c.state = "running"; c.startedAt = "2026-11-26 00:10:00 +0000 UTC" } }
        XCTAssertEqual(started.map(\.message), ["container pp-job was exited, now running (started 2026-11-26 00:10:00 +0000 UTC)"])
        // A full id in one capture and docker's 12-digit one in the other is the same container.
        let short = one { c in if c.name == "pp-api" { c.id = "ad3724a84eef99acda5df7599da3169382036c084a2172fbf46f619bfd8a4471" } }
        XCTAssertEqual(short, [])
    }

    func testUnknownImageIDsAreNotCompared() {
        let v = diff(baseline: { $0.containers = Self.before.map { var c = $0; c.imageID = nil; return c } }) {
            $0.containers = replacing(Self.before, where: { $0.name == "pp-api" }, with: { $0.imageID = Self.image4 })
        }
        XCTAssertEqual(v.summary, [])
    }

    func testContainersNotCapturedOnEitherSideAreNotCompared() {
        let skipped = CaptureGap(step: "", problem: "no docker or podman on the host", fix: "", skipped: true)
        let v = diff(baseline: { $0.containers = Self.before }) { $0.notCaptured[.containers] = skipped }
        XCTAssertEqual(v.summary, [])
        let failed = CaptureGap(step: "containers.docker", problem: "docker ps exited 1: Cannot connect to the Docker daemon", fix: "start it")
        let w = diff(baseline: { $0.containers = Self.before }) { $0.notCaptured[.containers] = failed }
        XCTAssertEqual(w.summary, ["capture-incomplete warning containers capture"])
    }

    func testPolicyMakesAStoppedContainerAWarning() {
        let rules = CompareRules(severityOverrides: [.containerStopped: .warning])
        let v = diff(rules: rules, baseline: { $0.containers = Self.before }) {
            $0.containers = replacing(Self.before, where: { $0.name == "pp-db" }, with: { $0.state = "exited" })
        }
        XCTAssertEqual(v.summary, ["container-stopped warning pp-db"])
    }
}
