import XCTest
import Model
@testable import Config

/// `files:` in the checks file: paths (or `{ path }` mappings) merged across levels, and every way
/// an entry can be wrong, with the exact `file:line:col: message` the user sees.
final class FilesConfigTests: XCTestCase {
    func testEntriesAtEveryLevelMergeOnce() throws {
        let yaml = """
            checks:
              files: [/etc/app/app.conf]
            groups:
              web:
                checks:
                  files:
                    - path: /srv/app/.env
                    - /etc/app/app.conf
            hosts:
              web1: { groups: [web] }
              db1: {}
            """
        let config = try parse(yaml)
        let web1 = try XCTUnwrap(config.resolve(names: ["web1"], group: nil).first)
        XCTAssertEqual(web1.checks.files.map(\.path), ["/etc/app/app.conf", "/srv/app/.env"], "the same path at two levels is read once")
        let db1 = try XCTUnwrap(config.resolve(names: ["db1"], group: nil).first)
        XCTAssertEqual(db1.checks.files, [FileCheck(path: "/etc/app/app.conf")])
    }

    func testEntryRules() {
        let head = "checks:\n  files:\n"
        assertConfigError(head + "    - etc/app.conf\n",
                          "checks/postpatch.yaml:3:7: 'checks.files' entry 1 must be an absolute path such as /etc/app/app.conf, got 'etc/app.conf'")
        assertConfigError(head + "    - /etc/*.conf\n",
                          "checks/postpatch.yaml:3:7: 'checks.files' entry 1 holds a glob character (* ? [): 'files' takes explicit paths; list each file")
        assertConfigError(head + "    - \"/etc/a\\nb\"\n",
                          "checks/postpatch.yaml:3:7: 'checks.files' entry 1 must be one line without control characters: write the path as it is on the host")
        assertConfigError(head + "    - /etc/a\n    - /etc/a\n",
                          "checks/postpatch.yaml:4:7: 'files' path '/etc/a' is listed twice (first in entry 1); remove one")
        assertConfigError(head + "    - { path: /etc/a, mode: 644 }\n",
                          "checks/postpatch.yaml:3:23: unknown key 'mode' in 'checks.files' entry 1; known keys: path")
        let many = (0...FileEntry.limit).map { "    - /etc/f\($0)\n" }.joined()
        assertConfigError(head + many,
                          "checks/postpatch.yaml:3:5: 'files' lists 201 paths, at most 200 are read: keep the files no package owns, "
                              + "the configs section covers the packages' own")
    }
}
