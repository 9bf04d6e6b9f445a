import Foundation
import Model
import TestSupport
import XCTest
@testable import Collect

/// The accounts section's steps on the realistic Debian 12 lab host (AccountsLabTests with
/// PP_CAPTURE_FIXTURES=1), before and after a stranger was made an admin.
final class AccountsParserTests: XCTestCase {
    func parsed(_ label: String) throws -> Users {
        AccountsParser.users(try Fixtures.local("accounts-realistic-\(label)-users.txt") + "\n" + (try Fixtures.local("accounts-realistic-\(label)-keys.txt")))
    }
    typealias Users = AccountsParser.Users

    func testTheRealisticHost() throws {
        let before = try parsed("before")
        XCTAssertEqual(before.notes, [])
        XCTAssertFalse(before.noShadow)
        XCTAssertEqual(before.accounts.users.first { $0.name == "root" }, LocalAccount(name: "root", uid: 0, shell: "/bin/bash", password: "locked"))
        XCTAssertEqual(before.accounts.users.first { $0.name == "pplab-sudo" }?.canLogin, true)
        XCTAssertEqual(before.accounts.users.first { $0.name == "daemon" }?.canLogin, false)
        XCTAssertEqual(before.accounts.groups.map(\.name), ["adm", "root", "sudo"])
        XCTAssertEqual(Set(before.accounts.authorizedKeys.map(\.user)), ["*"], "the lab's sshd reads one shared file")
        let after = try parsed("after")
        XCTAssertEqual(after.accounts.users.first { $0.name == "mallory" }, LocalAccount(name: "mallory", uid: 1002, shell: "/bin/bash", password: "set"))
        XCTAssertEqual(after.accounts.groups.first { $0.name == "sudo" }?.members, ["mallory"])
        // The fingerprint as ssh-keygen -l prints it for the same key.
        XCTAssertEqual(after.accounts.authorizedKeys.first { $0.user == "root" },
                       AuthorizedKey(user: "root", type: "ssh-ed25519", fingerprint: "SHA256:RtZom2ukxAR0Zi8wbWBsKk14s3/JlRxN7mo6JnLXCZQ"))
        let sudoers = AccountsParser.md5sums(try Fixtures.local("accounts-realistic-after-sudoers.txt"))
        XCTAssertEqual(sudoers.map(\.path), ["/etc/sudoers", "/etc/sudoers.d/90-mallory", "/etc/sudoers.d/README", "/etc/sudoers.d/pplab-sudo"])
        XCTAssertTrue(sudoers.allSatisfy { $0.digest.hasPrefix("md5:") && $0.digest.count == 36 })
        let sshd = AccountsParser.sshd(try Fixtures.local("accounts-realistic-after-sshd.txt"))
        XCTAssertEqual(sshd["permitrootlogin"], "yes")
        XCTAssertEqual(sshd["authorizedkeysfile"], "/etc/postpatch-lab/authorized_keys .ssh/authorized_keys")
        XCTAssertEqual(AccountsParser.sshd(try Fixtures.local("accounts-realistic-before-sshd.txt"))["permitrootlogin"], "no")
    }

    func testKeyLinesWithOptionsAndNoShadow() {
        let line = "user\tbob\t1003\t/bin/zsh\nnoshadow\nkeyfile\tbob\t/home/bob/.ssh/authorized_keys\n"
            + "key\t/home/bob/.ssh/authorized_keys\tfrom=\"10.0.0.0/8\",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEeZnw4OOBF6bDHDFcTHfWlQ7PZqJ1xU6tQ8v2tFkUjE x\n"
            + "key\t/home/bob/.ssh/authorized_keys\tssh-ed25519 not-base64!\n"
        let parsed = AccountsParser.users(line)
        XCTAssertTrue(parsed.noShadow)
        XCTAssertNil(parsed.accounts.users.first?.password, "unknown, not none")
        XCTAssertEqual(parsed.accounts.authorizedKeys.map(\.type), ["ssh-ed25519"])
        XCTAssertEqual(parsed.notes, ["accounts: 1 line not understood"])
    }
}
