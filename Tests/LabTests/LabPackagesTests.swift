import Foundation
import LabKit
import TestSupport
import XCTest

/// The lab fixtures that change this machine between two captures: local .deb packages, a SysV
/// service with a port, and raw listeners. Everything is loopback and undone in tearDown.
final class LabPackagesTests: XCTestCase {
    private var directory: URL?
    private var listeners: [LabListener] = []

    override func setUp() async throws {
        directory = try LabProcess.makeTempDir("debs")
    }

    override func tearDown() async throws {
        listeners.forEach { $0.close() }
        listeners = []
        await LabService.uninstall()
        if geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg") {
            try await LabPackages.purgeAll()
        }
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func package(_ name: String) throws -> LabPackages {
        try LabPackages.requireTools()
        return try LabPackages(name: name, directory: try XCTUnwrap(directory))
    }

    func testToolPackageInstallUpgradeDowngradeRemove() async throws {
        let tool = try package(LabPackages.tool)
        let old = try await tool.build(version: LabPackages.baseVersion)
        let new = try await tool.build(version: LabPackages.newVersion)
        XCTAssertTrue(FileManager.default.fileExists(atPath: old.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: new.path))
        let again = try await tool.build(version: LabPackages.baseVersion)
        XCTAssertEqual(again, old, "a second build reuses the cached .deb")

        try await tool.install(version: LabPackages.baseVersion)
        var version = try await tool.installedVersion()
        XCTAssertEqual(version, "1.0-1")
        XCTAssertEqual(try String(contentsOfFile: "/usr/share/pp-lab-tool/VERSION", encoding: .utf8), "1.0-1\n")

        try await tool.upgrade(to: LabPackages.newVersion)
        version = try await tool.installedVersion()
        XCTAssertEqual(version, "1.1-1")

        try await tool.upgrade(to: LabPackages.oldVersion)
        version = try await tool.installedVersion()
        XCTAssertEqual(version, "0.9-1")

        try await tool.remove()
        version = try await tool.installedVersion()
        XCTAssertNil(version)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/usr/share/pp-lab-tool/VERSION"))
        try await tool.remove()  // idempotent
    }

    func testUpgradeOfAMissingPackageIsAnError() async throws {
        let tool = try package(LabPackages.tool)
        do {
            try await tool.upgrade(to: LabPackages.newVersion)
            XCTFail("upgrade of a package that is not installed should throw")
        } catch let error as LabError {
            XCTAssertTrue(error.description.contains("not installed"), error.description)
        }
    }

    func testSecurityPackageVersionCanBeSetAndPurgeAllRemovesEverything() async throws {
        let security = try package(LabPackages.security)
        let tool = try package(LabPackages.tool)
        try await security.setVersion("2.0-1")
        var version = try await security.installedVersion()
        XCTAssertEqual(version, "2.0-1")
        try await security.setVersion("1.5-1")
        version = try await security.installedVersion()
        XCTAssertEqual(version, "1.5-1")
        try await tool.install(version: LabPackages.baseVersion)

        try await LabPackages.purgeAll()
        version = try await security.installedVersion()
        XCTAssertNil(version)
        version = try await tool.installedVersion()
        XCTAssertNil(version)
        try await LabPackages.purgeAll()  // nothing left: still fine
    }

    func testBadPackageNameIsRejected() throws {
        XCTAssertThrowsError(try LabPackages(name: "coreutils", directory: URL(fileURLWithPath: "/tmp")))
    }

    func testServiceStatusAndPortFollowStartAndStop() async throws {
        let service = try await LabService.install(port: try LabProcess.freePort())
        var line = try await statusLine()
        XCTAssertEqual(line, "[ - ]  pp-lab-daemon")
        var running = try await service.isRunning()
        XCTAssertFalse(running)

        try await service.start()
        try await service.start()  // idempotent
        line = try await statusLine()
        XCTAssertEqual(line, "[ + ]  pp-lab-daemon")
        running = try await service.isRunning()
        XCTAssertTrue(running)
        var listed = try await LabListener.ssLists(port: service.port, .tcp)
        XCTAssertTrue(listed, "ss -ltn should list 127.0.0.1:\(service.port)")

        try await service.stop()
        line = try await statusLine()
        XCTAssertEqual(line, "[ - ]  pp-lab-daemon")
        listed = try await LabListener.ssLists(port: service.port, .tcp)
        XCTAssertFalse(listed)
        XCTAssertFalse(LabProcess.isListening(port: service.port))

        await service.uninstall()
        line = try await statusLine()
        XCTAssertNil(line)
    }

    func testListenersShowInSSUntilClosed() async throws {
        for transport in [LabListener.Transport.tcp, .udp] {
            let listener = try LabListener.open(transport)
            listeners.append(listener)
            var listed = try await LabListener.ssLists(port: listener.port, transport)
            XCTAssertTrue(listed, "\(transport) 127.0.0.1:\(listener.port) should be listed")
            listener.close()
            listener.close()
            listed = try await LabListener.ssLists(port: listener.port, transport)
            XCTAssertFalse(listed, "\(transport) 127.0.0.1:\(listener.port) should be gone")
        }
        let fixed = try LabProcess.freePort()
        let listener = try LabListener.open(.tcp, port: fixed)
        listeners.append(listener)
        XCTAssertEqual(listener.port, fixed)
        XCTAssertTrue(LabProcess.isListening(port: fixed))
    }

    /// The lab service's line in `service --status-all`, trimmed; nil when not listed.
    private func statusLine() async throws -> String? {
        let result = try await LabProcess.run("/usr/sbin/service", ["--status-all"])
        return result.output.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasSuffix(" \(LabService.name)") }
    }
}
