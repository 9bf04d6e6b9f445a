import XCTest
import Model
@testable import Collect

/// The containers section on real output: podman 4.3.1 on this machine (Debian 12; the
/// containers ran under runc, crun cannot here: "cgroups in hybrid mode not supported"), and the
/// `docker ps --format json` line of Docker's own documentation (docker/cli,
/// docs/reference/commandline/container_ls.md). Provenance: Tests/Fixtures/collect/containers/README.md.
final class ContainersParserTests: XCTestCase {
    func fixture(_ name: String) throws -> String { try Fixtures.local("containers/\(name)") }

    func testPodmanPsAndInspectBeforeThePatch() throws {
        let (items, notes) = ContainersParser.parse(engine: "podman", ps: try fixture("podman-4.3_ps-a-before.json"),
                                                    inspect: try fixture("podman-4.3_container-inspect-before.out"))
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.map(\.name), ["pp-web", "pp-api", "pp-cache", "pp-db", "pp-paused", "pp-job"])
        XCTAssertEqual(items.map(\.state), ["created", "running", "running", "running", "paused", "exited"])
        XCTAssertEqual(items.map { $0.restartPolicy ?? "?" }, ["always", "unless-stopped", "always", "on-failure", "no", "no"])
        XCTAssertEqual(Set(items.map(\.restartCount)), [0])
        let web = try XCTUnwrap(items.first)
        XCTAssertEqual(web, Container(engine: "podman", name: "pp-web", id: "46b46e20531b34c50c3dae6414a613da7cf816d264eac0496312843b47621b99",
                                      image: "localhost/pp-fixture/busybox:3",
                                      imageID: "60d195bd056548cf0144ed753e5ff0857331e9d78dc2a02ebf1e52980da53d7a",
                                      state: "created", restartPolicy: "always", restartCount: 0, startedAt: nil),
                       "never started: Go's zero time is no start time")
        XCTAssertEqual(items[1].startedAt, "2026-11-25 23:57:20.415111657 +0000 UTC")
    }

    func testPodmanAfterThePatch() throws {
        let (items, notes) = ContainersParser.parse(engine: "podman", ps: try fixture("podman-4.3_ps-a-after.json"),
                                                    inspect: try fixture("podman-4.3_container-inspect-after.out"))
        XCTAssertEqual(notes, [])
        let byName = Dictionary(uniqueKeysWithValues: items.map { ($0.name, $0) })
        XCTAssertEqual(byName["pp-cache"]?.state, "exited")
        XCTAssertEqual(byName["pp-api"]?.startedAt, "2026-11-25 23:57:29.027605271 +0000 UTC")
        XCTAssertEqual(byName["pp-db"]?.imageID, "4711af1b33dbf701e10f832e1468c868c5335733d36751d1f0b2bcd3b4111c4f")
        XCTAssertEqual(byName["pp-db"]?.id.prefix(12), "9d08f1b05c29")
        XCTAssertNil(byName["pp-job"])
        XCTAssertEqual(byName["pp-new"]?.restartPolicy, "no")
    }

    func testPodmanWithNoContainersAndWithoutInspect() throws {
        XCTAssertEqual(ContainersParser.parse(engine: "podman", ps: try fixture("podman-4.3_ps-a-empty.json"), inspect: "").items, [])
        let (items, notes) = ContainersParser.parse(engine: "podman", ps: try fixture("podman-4.3_ps-a-before.json"), inspect: nil)
        XCTAssertEqual(items.count, 6)
        XCTAssertEqual(notes, [])
        XCTAssertTrue(items.allSatisfy { $0.restartPolicy == nil && $0.startedAt == nil }, "unknown without inspect, not \"no\"")
    }

    func testDockerDocumentationLine() throws {
        let (items, notes) = ContainersParser.parse(engine: "docker", ps: try fixture("docker-docs_ps-format-json.out"), inspect: nil)
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items, [Container(engine: "docker", name: "boring_keldysh", id: "a762a2b37a1d", image: "nginx", state: "running")])
    }

    /// docker inspect says `sha256:`-prefixed image ids and `/name`; its ids are the full 64 digits
    /// where `ps` without --no-trunc printed 12.
    func testDockerInspectJoinsOnTheShortID() throws {
        let inspect = "a762a2b37a1d9c4f0b0c2e5a7f1e3d8b6c4a2e0f9d7b5c3a1e8f6d4b2c0a9e7f|/boring_keldysh|sha256:0123abcd|always|2|2021-03-09T23:15:06.123Z\n"
        let (items, notes) = ContainersParser.parse(engine: "docker", ps: try fixture("docker-docs_ps-format-json.out"), inspect: inspect)
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.first?.id.count, 64)
        XCTAssertEqual(items.first?.imageID, "0123abcd")
        XCTAssertEqual(items.first?.restartPolicy, "always")
        XCTAssertEqual(items.first?.restartCount, 2)
        XCTAssertEqual(items.first?.startedAt, "2021-03-09T23:15:06.123Z")
    }

    /// The STATUS column of Docker's documented tables, for engines too old to print `.State`.
    func testStateFromDocumentedStatusColumn() {
        XCTAssertEqual(ContainersParser.stateFromStatus("Up 3 seconds"), "running")
        XCTAssertEqual(ContainersParser.stateFromStatus("Up About an hour (Paused)"), "paused")
        XCTAssertEqual(ContainersParser.stateFromStatus("Exited (137) 5 seconds ago"), "exited")
        XCTAssertEqual(ContainersParser.stateFromStatus("Created"), "created")
        XCTAssertEqual(ContainersParser.name("redis,webapp/db"), "redis", "a name, then its links as other/alias")
    }

    func testGarbageIsANoteNotACrash() {
        let (items, notes) = ContainersParser.parse(engine: "docker", ps: "{\"ID\":\"abc\",\"Names\":\"x\",\"State\":\"running\"}\nnot json\n{\"Image\":\"y\"}\n", inspect: "zz|broken\n")
        XCTAssertEqual(items.map(\.name), ["x"])
        XCTAssertEqual(notes, ["containers: 1 line(s) of docker ps output are not JSON objects", "containers: a docker ps entry has no id or name",
                               "containers: docker container inspect said nothing about x"])
        XCTAssertEqual(ContainersParser.parse(engine: "podman", ps: "[{\"Id\": 3", inspect: nil).notes,
                       ["containers: podman ps printed JSON that does not parse"])
    }

    /// An engine that answers with an error knows nothing: the section is not captured, with
    /// the engine's own words (this machine's docker CLI, no daemon).
    func testFailedListingIsAGapWithTheEnginesWords() throws {
        let err = try fixture("docker-28_ps-no-daemon.err")
        let out = "\n@@PP-n BEGIN containers.docker\n\n@@PP-n STDERR containers.docker\n\(err)\n@@PP-n END containers.docker 1\n\n@@PP-n DONE\n"
        let s = SnapshotParser.parse(stdout: Array(out.utf8), host: "h", nonce: "n", checks: CheckSet())
        let gap = try XCTUnwrap(s.gap(.containers))
        XCTAssertEqual(gap.step, "containers.docker")
        XCTAssertEqual(gap.problem, "docker ps exited 1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
        XCTAssertFalse(gap.skipped)
        let skipped = SnapshotParser.parse(stdout: Array("\n@@PP-n SKIP containers no docker or podman on the host\n\n@@PP-n DONE\n".utf8),
                                           host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(skipped.gap(.containers)?.skipped, true)
        XCTAssertEqual(skipped.captureNotes.first { $0.hasPrefix("containers") }, "containers not captured: no docker or podman on the host")
    }

    func testFragmentIsBoundedAndInspectsOnce() {
        let f = ContainersSection.fragment
        XCTAssertEqual(f.components(separatedBy: "container inspect").count - 1, 2, "one inspect call per engine branch")
        XCTAssertTrue(f.contains("head -n 1000"))
        for call in ["pp_to podman ps -a", "pp_to docker ps -a", "pp_to podman container inspect", "pp_to docker container inspect"] {
            XCTAssertTrue(f.contains(call), "\(call): every engine call is bounded by the step timeout")
        }
    }
}
