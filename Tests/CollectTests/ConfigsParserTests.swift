import XCTest
import Model
@testable import Collect

/// The configs section's parsers on real captures: the realistic lab rootfs (Debian 12 with
/// nginx, PostgreSQL's common files, openssh-server: dpkg conffiles and ucf files), this
/// machine (a conffile the operator deleted, `remove-on-upgrade` entries), and a minbase rootfs
/// where a real pp-lab-conf 1.0-1 → 1.1-1 upgrade ran with `--force-confnew` and `--force-confold`
/// over an operator's change.
final class ConfigsParserTests: XCTestCase {
    func files(_ prefix: String) throws -> [TrackedConfigFile] {
        let listing = ConfigsParser.listing(try Fixtures.local("\(prefix)-conffiles.txt"))
        XCTAssertEqual(listing.notes, [])
        XCTAssertFalse(listing.cut)
        let stderr = (try? Fixtures.local("\(prefix)-md5-stderr.txt")) ?? ""
        let digests = ConfigsParser.md5sums(try Fixtures.local("\(prefix)-md5.txt"), stderr: stderr)
        return ConfigsParser.merge(listing.entries, digests: digests, verified: nil)
    }

    func testRealisticRootfsListsDpkgConffilesAndUcfFilesAllAsShipped() throws {
        let files = try files("configs-debian12-realistic")
        XCTAssertEqual(files.count, 200)
        XCTAssertEqual(Set(files.map(\.manager)), [.dpkg, .ucf])
        let sshd = files.first { $0.path == "/etc/ssh/sshd_config" }
        XCTAssertEqual(sshd.map { "\($0.manager) \($0.package) \($0.state)" }, "ucf openssh-server shipped")
        let nginx = files.first { $0.path == "/etc/nginx/nginx.conf" }
        XCTAssertEqual(nginx?.package, "nginx-common")
        XCTAssertEqual(nginx?.digest?.hasPrefix("md5:"), true)
        XCTAssertEqual(nginx?.digest?.count, 36)
        // A freshly debootstrapped host: what the packages shipped, nothing touched.
        XCTAssertEqual(files.filter { $0.state != .shipped }.map(\.path), [])
        XCTAssertEqual(Set(files.map(\.path)).count, files.count, "one entry per path")
    }

    func testDeletedConffileIsMissingAndFlaggedEntriesAreLeftOut() throws {
        let text = try Fixtures.local("configs-debian12-dev-conffiles.txt")
        XCTAssertTrue(text.contains("remove-on-upgrade"))
        let files = try files("configs-debian12-dev")
        XCTAssertEqual(files.first { $0.path == "/etc/debuginfod/elfutils.urls" }?.state, .missing)
        XCTAssertNil(files.first { $0.path == "/etc/debuginfod/elfutils.urls" }?.digest)
        XCTAssertFalse(files.contains { $0.path == "/etc/dpkg/dpkg.cfg.d/pkgconf-hook-config" }, "remove-on-upgrade: not shipped any more")
    }

    func testOperatorsChangeIsModified() throws {
        let app = try files("configs-lab-before").first { $0.path == "/etc/pp-lab-conf/app.conf" }
        XCTAssertEqual(app, TrackedConfigFile(path: "/etc/pp-lab-conf/app.conf", package: "pp-lab-conf", manager: .dpkg,
                                              state: .modified, digest: "md5:a0d01512a30ca9af8bafa3fe90155356"))
    }

    func testConfnewMakesItThePackagesVersionWithTheOldOneSetAside() throws {
        let app = try files("configs-lab-confnew").first { $0.path == "/etc/pp-lab-conf/app.conf" }
        XCTAssertEqual(app?.state, .shipped)
        XCTAssertEqual(app?.digest, "md5:a9502144bcdf631d1b8e56c74bef01ae")
        let leftovers = ConfigsParser.leftovers(try Fixtures.local("configs-lab-confnew-leftovers.txt"))
        XCTAssertEqual(leftovers.items.map(\.path), ["/etc/pp-lab-conf/app.conf.dpkg-old"])
        XCTAssertEqual(leftovers.items.first?.kind, .oldVersion)
        XCTAssertEqual(leftovers.items.first?.original, "/etc/pp-lab-conf/app.conf")
    }

    func testConfoldKeepsTheOperatorsFileWithTheNewDefaultSetAside() throws {
        let app = try files("configs-lab-confold").first { $0.path == "/etc/pp-lab-conf/app.conf" }
        XCTAssertEqual(app?.state, .modified)
        XCTAssertEqual(app?.digest, "md5:a0d01512a30ca9af8bafa3fe90155356", "the operator's content, unchanged")
        let leftovers = ConfigsParser.leftovers(try Fixtures.local("configs-lab-confold-leftovers.txt"))
        XCTAssertEqual(leftovers.items.map { "\($0.path) \($0.kind.map { "\($0)" } ?? "-")" },
                       ["/etc/pp-lab-conf/app.conf.dpkg-dist newDefault"])
    }

    func testMd5sumEscapesUnreadableFilesAndOddLines() {
        let text = "\\d41d8cd98f00b204e9800998ecf8427e  /etc/odd\\nname\\\\x\n"
            + "0123456789abcdef0123456789abcdef *" + "/etc/binary mode\n" + "garbage\n" + "0123  /etc/short\n"
        let d = ConfigsParser.md5sums(text, stderr: "md5sum: /etc/secret: Permission denied\nmd5sum: /etc/gone: No such file or directory\n")
        XCTAssertEqual(d.md5, ["/etc/odd\nname\\x": "d41d8cd98f00b204e9800998ecf8427e",
                               "/etc/binary mode": "0123456789abcdef0123456789abcdef"])
        XCTAssertEqual(d.unreadable, ["/etc/secret"])
        let entries = ["/etc/secret", "/etc/gone"].map { ConfigsParser.Entry(manager: .dpkg, package: "p", shipped: String(repeating: "a", count: 32), path: $0) }
        XCTAssertEqual(ConfigsParser.merge(entries, digests: d, verified: nil).map(\.state), [.unknown, .missing])
    }

    func testCutListsAndLeftoversSayPartial() {
        let listing = ConfigsParser.listing("dpkg\tp\t\(String(repeating: "a", count: 32))\t\t/etc/a\ncut\nnot a line\n")
        XCTAssertTrue(listing.cut)
        XCTAssertEqual(listing.entries.count, 1)
        XCTAssertEqual(listing.notes.count, 1)
        let many = (0...ConfigsParser.leftoverLimit).map { "/etc/x\($0).rpmnew" }.joined(separator: "\n")
        let parsed = ConfigsParser.leftovers(many + "\n/etc/not-a-leftover\n")
        XCTAssertTrue(parsed.cut)
        XCTAssertEqual(parsed.items.count, ConfigsParser.leftoverLimit)
    }

    /// The section's steps as an rpm host gave them: this machine's rpm 4.18 with its own database
    /// (no dpkg status in view), pp-lab-conf 1.0-1 and 1.1-1 built with rpmbuild, `app.conf`
    /// `%config(noreplace)` and `plain.conf` `%config`, both tuned, then `rpm -U`: app.conf kept
    /// with the new default as .rpmnew, plain.conf replaced with the tuned one saved as .rpmsave.
    func rpmHost(_ prefix: String, steps: [(Step, Int)]) throws -> (files: [TrackedConfigFile], leftovers: [ConfigLeftover],
                                                                     notes: [String], partial: String?) {
        var output = ScriptOutput()
        for (step, status) in steps {
            let stdout = try Fixtures.local("\(prefix)-\(step.tool).txt")
            output.steps[step.name] = StepOutput(name: step.name, stdout: stdout, status: status)
        }
        let parsed = ConfigsSection.parse(output)
        XCTAssertNil(parsed.gap)
        return (parsed.files, parsed.leftovers, parsed.notes, parsed.partial)
    }

    func testRpmHostBeforeAndAfterAnUpgrade() throws {
        let before = try rpmHost("configs-rpm-before", steps: [(ConfigsSection.rpmStep, 0), (ConfigsSection.rpmVerifyStep, 1),
                                                               (ConfigsSection.md5Step, 0)])
        XCTAssertEqual(before.notes, [])
        XCTAssertEqual(before.files.map { "\($0.path) \($0.package) \($0.manager) \($0.state)" },
                       ["/etc/pp-lab-conf/app.conf pp-lab-conf rpm modified", "/etc/pp-lab-conf/plain.conf pp-lab-conf rpm modified"])
        let after = try rpmHost("configs-rpm-after", steps: [(ConfigsSection.rpmStep, 0), (ConfigsSection.rpmVerifyStep, 1),
                                                             (ConfigsSection.md5Step, 0), (ConfigsSection.leftoversStep, 0)])
        XCTAssertEqual(after.files.map(\.state), [.modified, .shipped])
        XCTAssertEqual(after.files[0].digest, before.files[0].digest, "noreplace: the operator's file kept")
        XCTAssertNotEqual(after.files[1].digest, before.files[1].digest)
        XCTAssertEqual(after.leftovers.map { "\($0.original) \($0.kind.map { "\($0)" } ?? "-")" },
                       ["/etc/pp-lab-conf/plain.conf oldVersion", "/etc/pp-lab-conf/app.conf newDefault"])
        XCTAssertNil(after.partial)
    }

    func testMd5StepCutShortLeavesTheSectionUnknown() throws {
        var output = ScriptOutput()
        output.steps[ConfigsSection.conffilesStep.name] = StepOutput(name: ConfigsSection.conffilesStep.name,
                                                                     stdout: try Fixtures.local("configs-lab-before-conffiles.txt"), status: 0)
        output.steps[ConfigsSection.md5Step.name] = StepOutput(name: ConfigsSection.md5Step.name, stdout: "", status: 124)
        let parsed = ConfigsSection.parse(output)
        XCTAssertEqual(parsed.gap?.step, "configs.md5")
        XCTAssertEqual(parsed.files, [])
        // No md5sum: every file would read as missing; unknown instead.
        output.steps[ConfigsSection.md5Step.name] = StepOutput(name: ConfigsSection.md5Step.name, stdout: "", status: 127)
        XCTAssertEqual(ConfigsSection.parse(output).gap?.problem, "md5sum of the configuration files could not run (no xargs or md5sum on the host?)")
        // Some files gone (xargs 123): those are missing, the rest is read.
        output.steps[ConfigsSection.md5Step.name] = StepOutput(name: ConfigsSection.md5Step.name,
                                                               stdout: try Fixtures.local("configs-lab-before-md5.txt"), status: 123)
        XCTAssertNil(ConfigsSection.parse(output).gap)
        XCTAssertEqual(ConfigsSection.parse(output).files.filter { $0.state == .missing }.count, 0)
    }

    /// `rpm -Va -c`'s line forms (rpm(8), VERIFY OPTIONS): digest changed, unreadable, missing; other lines skipped.
    func testRpmVerifyFlags() {
        let text = "S.5....T.  c /etc/ssh/sshd_config\n.......T.  c /etc/touched\n..?......  c /etc/unreadable\n"
            + "missing   c /etc/yum.conf\nUnsatisfied dependencies for foo: bar\n"
        XCTAssertEqual(ConfigsParser.rpmVerify(text), ["/etc/ssh/sshd_config": .modified, "/etc/unreadable": .unknown,
                                                       "/etc/yum.conf": .missing])
        let entries = ["/etc/ssh/sshd_config", "/etc/touched", "/etc/yum.conf"].map {
            ConfigsParser.Entry(manager: .rpm, package: "p", shipped: "", path: $0)
        }
        let digests = ConfigsParser.Digests(md5: ["/etc/ssh/sshd_config": String(repeating: "b", count: 32),
                                                  "/etc/touched": String(repeating: "c", count: 32)])
        XCTAssertEqual(ConfigsParser.merge(entries, digests: digests, verified: ConfigsParser.rpmVerify(text)).map(\.state),
                       [.modified, .shipped, .missing])
        XCTAssertEqual(ConfigsParser.merge(entries, digests: digests, verified: nil).map(\.state), [.unknown, .unknown, .missing])
    }
}

/// Declared files' step output, captured on the realistic lab rootfs (a path it lacks, /etc/shadow, a folder).
final class FilesParserTests: XCTestCase {
    func testRealisticCapture() throws {
        let checks = ["/etc/hostname", "/etc/shadow", "/etc/does-not-exist", "/etc/ssh", "/etc/never-reported"].map(FileCheck.init)
        let parsed = FilesParser.parse(try Fixtures.local("files-debian12-realistic-stat.txt"), checks: checks)
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(parsed.results.map(\.path), ["/etc/hostname", "/etc/shadow", "/etc/does-not-exist", "/etc/ssh"])
        XCTAssertEqual(parsed.results[0].type, .missing)
        XCTAssertEqual(parsed.results[1], FileResult(path: "/etc/shadow", type: .file, mode: "640", owner: "root", group: "shadow",
                                                     digest: "sha256:538e18c9a3e50f58ce7374af8cd874686d63cac4e1eded503a56b49ecdaaf063"))
        XCTAssertEqual(parsed.results[3], FileResult(path: "/etc/ssh", type: .directory, mode: "755", owner: "root", group: "root"))
    }

    func testOddOutputIsBounded() {
        let checks = [FileCheck(path: "/a")]
        let parsed = FilesParser.parse("@ 7\nstat=644 x y regular file\n@ 0\nstat=garbage\nsum=sha256:zz\nerr=unreadable\n", checks: checks)
        XCTAssertEqual(parsed.results.count, 1)
        XCTAssertEqual(parsed.results[0].type, .other)
        XCTAssertNil(parsed.results[0].digest)
        XCTAssertEqual(parsed.results[0].error, "not readable (run as root or with --sudo)")
        XCTAssertEqual(parsed.notes.count, 1)
    }
}
