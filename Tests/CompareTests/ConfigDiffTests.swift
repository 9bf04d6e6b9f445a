import XCTest
import Model
@testable import Compare

/// Configuration files and declared files against the web1 snapshot: each test changes one thing.
final class ConfigDiffTests: DiffTestCase {
    static let nginx = TrackedConfigFile(path: "/etc/nginx/nginx.conf", package: "nginx-common", manager: .dpkg,
                                         state: .modified, digest: "md5:11111111111111111111111111111111")
    static let sshd = TrackedConfigFile(path: "/etc/ssh/sshd_config", package: "openssh-server", manager: .ucf,
                                        state: .shipped, digest: "md5:22222222222222222222222222222222")

    func withConfigs(_ s: inout Snapshot) {
        s.configs = ConfigFiles(files: [Self.nginx, Self.sshd], leftovers: [ConfigLeftover(path: "/etc/old.conf.dpkg-dist")])
    }

    func configDiff(rules: CompareRules = CompareRules(), _ change: (inout Snapshot) -> Void) -> HostVerdict {
        diff(rules: rules, baseline: withConfigs) { s in withConfigs(&s); change(&s) }
    }

    func setNginx(_ s: inout Snapshot, _ change: (inout TrackedConfigFile) -> Void) {
        s.configs!.files = replacing(s.configs!.files, where: { $0.path == Self.nginx.path }, with: change)
    }

    func testUnchangedIsSilentAndOldLeftoversAreNoNews() {
        let v = configDiff { _ in }
        XCTAssertEqual(v.summary, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.configs) }.map(\.subject), ["configuration files (2)"])
    }

    func testConfnewReplacedTheOperatorsFile() {
        let v = configDiff { s in
            self.setNginx(&s) { $0.state = .shipped; $0.digest = "md5:33333333333333333333333333333333" }
            s.configs!.leftovers.append(ConfigLeftover(path: "/etc/nginx/nginx.conf.dpkg-old"))
        }
        let f = finding(v)
        XCTAssertEqual(f?.kind, .configReplaced)
        XCTAssertEqual(f?.severity, .warning)
        XCTAssertEqual(f?.subject, "/etc/nginx/nginx.conf")
        XCTAssertEqual(f?.message, "your /etc/nginx/nginx.conf was replaced by nginx-common's version; your version is in nginx.conf.dpkg-old")
    }

    func testModifiedFileBackToShippedWithoutACopy() {
        let v = configDiff { s in self.setNginx(&s) { $0.state = .shipped; $0.digest = "md5:33333333333333333333333333333333" } }
        XCTAssertEqual(finding(v)?.message, "your /etc/nginx/nginx.conf was replaced by nginx-common's version; no copy of your version was kept")
    }

    func testUcfOldBesideAChangedShippedFileIsReplacedToo() {
        let v = configDiff { s in
            s.configs!.files = replacing(s.configs!.files, where: { $0.path == Self.sshd.path }) { $0.digest = "md5:44444444444444444444444444444444" }
            s.configs!.leftovers.append(ConfigLeftover(path: "/etc/ssh/sshd_config.ucf-old"))
        }
        XCTAssertEqual(finding(v)?.kind, .configReplaced)
    }

    func testConfoldSetTheNewDefaultAside() {
        let v = configDiff { s in s.configs!.leftovers.append(ConfigLeftover(path: "/etc/nginx/nginx.conf.dpkg-dist")) }
        let f = finding(v)
        XCTAssertEqual(f?.kind, .configUnmerged)
        XCTAssertEqual(f?.subject, "/etc/nginx/nginx.conf")
        XCTAssertEqual(f?.message, "nginx-common's new default for /etc/nginx/nginx.conf was set aside as nginx.conf.dpkg-dist; "
                           + "the service runs your old file: merge it")
    }

    func testRpmnewBesideAnUntrackedFileIsUnmergedWithoutAPackage() {
        let v = configDiff { s in s.configs!.leftovers.append(ConfigLeftover(path: "/etc/yum.conf.rpmnew")) }
        XCTAssertEqual(finding(v)?.message, "the package's new default for /etc/yum.conf was set aside as yum.conf.rpmnew; "
                           + "the service runs your old file: merge it")
    }

    func testOtherChangesAreInfoAndUnknownDigestsAreNotCompared() {
        var v = configDiff { s in
            s.configs!.files = replacing(s.configs!.files, where: { $0.path == Self.sshd.path }) {
                $0.state = .modified; $0.digest = "md5:55555555555555555555555555555555"
            }
        }
        XCTAssertEqual(finding(v).map { "\($0.kind) \($0.severity)" }, "config-changed info")
        v = configDiff { s in self.setNginx(&s) { $0.state = .unknown; $0.digest = nil } }
        XCTAssertEqual(v.summary, [])
        v = configDiff { s in self.setNginx(&s) { $0.state = .missing; $0.digest = nil } }
        XCTAssertEqual(finding(v)?.message, "/etc/nginx/nginx.conf (nginx-common) is gone (was modified)")
    }

    func testIgnoreGlobsAndPolicy() {
        var rules = CompareRules()
        rules.ignore = IgnoreRules([.configs: ["/etc/nginx/*"]])
        let v = configDiff(rules: rules) { s in s.configs!.leftovers.append(ConfigLeftover(path: "/etc/nginx/nginx.conf.dpkg-dist")) }
        XCTAssertEqual(v.summary, [])
    }

    func testOldSnapshotWithoutTheSectionIsNotCompared() {
        let v = diff(baseline: { s in s.configs = nil }) { s in
            withConfigs(&s)
            s.configs!.leftovers.append(ConfigLeftover(path: "/etc/nginx/nginx.conf.dpkg-dist"))
        }
        XCTAssertFalse(v.findings.contains { $0.kind.section == .configs })
    }
}

final class FileCheckDiffTests: DiffTestCase {
    static let app = FileResult(path: "/etc/app/app.conf", type: .file, mode: "644", owner: "root", group: "root",
                                digest: "sha256:" + String(repeating: "a", count: 64))

    func fileDiff(_ change: (inout FileResult) -> Void) -> HostVerdict {
        diff(baseline: { $0.files = [Self.app] }) { s in
            var f = Self.app
            change(&f)
            s.files = [f]
        }
    }

    func testUnchangedIsSilent() {
        XCTAssertEqual(fileDiff { _ in }.summary, [])
    }

    func testModeOwnerAndContentChangesAreNamed() {
        let f = finding(fileDiff { $0.mode = "600"; $0.owner = "app"; $0.digest = "sha256:" + String(repeating: "b", count: 64) })
        XCTAssertEqual(f.map { "\($0.kind) \($0.severity)" }, "file-changed warning")
        XCTAssertEqual(f?.message, "/etc/app/app.conf changed: content, mode 644 → 600, owner root → app")
    }

    func testGoneIsARegressionAndDigestsOfTwoKindsAreNotCompared() {
        let gone = finding(fileDiff { $0 = FileResult(path: $0.path, type: .missing) })
        XCTAssertEqual(gone.map { "\($0.kind) \($0.severity)" }, "file-missing regression")
        XCTAssertEqual(gone?.message, "/etc/app/app.conf is gone (was file 644 root:root sha256:aaaaaaaaaaaa…)")
        XCTAssertEqual(fileDiff { $0.digest = "cksum:123" }.summary, [])
        XCTAssertEqual(fileDiff { $0.digest = nil; $0.error = "not readable" }.summary, [])
    }
}
