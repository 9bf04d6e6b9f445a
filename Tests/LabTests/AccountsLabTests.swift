@testable import Collect
import Engine
import Foundation
import LabKit
import Model
import TestSupport
import XCTest

/// Who can log in, on the realistic Debian 12 server baselined as root: a stranger's account
/// with a password and a login shell, made a sudoer (group and a sudoers.d file), and an
/// sshd_config.d drop-in that turns PermitRootLogin on and makes sshd read root's ~/.ssh (the
/// lab's sshd reads only its shared /etc/postpatch-lab/authorized_keys: the keys are where
/// `sshd -T` says), where a new key was put. verify names
/// each as a warning, with fingerprints and never the key text, the password or its hash. With
/// PP_CAPTURE_FIXTURES=1 the steps' raw outputs are written to Tests/Fixtures/collect/.
final class AccountsLabTests: E2ETestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/collect")

    func testAStrangerWithAPasswordSudoAndAKeyIsNamed() async throws {
        let host = try await bootSettledHost("acct-web", flavour: .realistic)
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" { try await captureFixtures(host, "before") }
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let base = try await baseline([t], knownHosts: host.knownHostsPath)
        let accounts = try XCTUnwrap(base.first?.accounts, "\(base.first?.notes ?? [])")
        XCTAssertEqual(accounts.users.first { $0.name == "root" }?.uid, 0)
        XCTAssertNotNil(accounts.sudoers, "read as root")
        XCTAssertNotNil(accounts.sshd?["permitrootlogin"], "\(accounts.sshd ?? [:])")
        XCTAssertFalse(accounts.authorizedKeys.isEmpty, "the lab's own control keys")
        XCTAssertNil(base.first?.partialReason(.accounts))

        let stranger = try lab.makeKey("ed25519", name: "stranger")
        let publicKey = try String(contentsOfFile: stranger.privatePath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try await host.runAsRoot("useradd -m -s /bin/bash mallory && echo 'mallory:Correct-Horse-9' | chpasswd && usermod -aG sudo mallory && "
            + "echo 'mallory ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/90-mallory && chmod 440 /etc/sudoers.d/90-mallory && "
            + "mkdir -p /root/.ssh && echo '\(publicKey)' >>/root/.ssh/authorized_keys && mkdir -p /etc/ssh/sshd_config.d && "
            + "printf 'PermitRootLogin yes\\nAuthorizedKeysFile /etc/postpatch-lab/authorized_keys .ssh/authorized_keys\\n' >/etc/ssh/sshd_config.d/90-pp.conf")
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" { try await captureFixtures(host, "after") }
        let v = verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name)
        assertFindings(v, [.init(.accountAdded, .warning, "mallory"), .init(.groupMembershipChanged, .warning, "group sudo"),
                           .init(.sudoersChanged, .warning, "/etc/sudoers.d/90-mallory"),
                           .init(.authorizedKeyAdded, .warning, "root authorized_keys"),
                           .init(.sshdSettingChanged, .warning, "sshd permitrootlogin"),
                           .init(.sshdSettingChanged, .warning, "sshd authorizedkeysfile")],
                       "a stranger made an admin")
        XCTAssertEqual(v?.findings.first { $0.kind == .accountAdded }?.message, "new account mallory (uid 1002, /bin/bash) can log in with a password")
        let keyMessage = v?.findings.first { $0.kind == .authorizedKeyAdded }?.message ?? ""
        let fingerprint = try LabProcess.runBlocking("/usr/bin/ssh-keygen", ["-l", "-f", stranger.privatePath + ".pub"]).output
            .split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        XCTAssertEqual(keyMessage, "root accepts a new SSH key: ssh-ed25519 \(fingerprint)", "the fingerprint as ssh-keygen -l prints it")
        let everything = try String(decoding: SnapshotCoding.encode(try XCTUnwrap(v.map { _ in base[0] })), as: UTF8.self)
            + (v?.findings.map { "\($0.message) \($0.before ?? "") \($0.after ?? "")" }.joined() ?? "")
        for secret in ["Correct-Horse-9", "$y$", "$6$", String(publicKey.split(separator: " ")[1])] {
            XCTAssertFalse(everything.contains(secret), "\(secret) must not reach a snapshot or a finding")
        }
    }

    func captureFixtures(_ host: SystemdHost, _ label: String) async throws {
        let prelude = "pp_to() { timeout 20 \"$@\"; }\nPP_TMP=$(mktemp -d)\n"
        for (name, body) in [("users", AccountsSection.usersBody), ("sudoers", AccountsSection.sudoersBody), ("sshd", AccountsSection.sshdBody),
                             ("keys", AccountsSection.keysBody)] {
            // The steps share the temp folder as in the script: users writes the homes, sshd sshd -T's answer.
            let out = try await host.runAsRoot(prelude + "(\n" + AccountsSection.usersBody + "\n) >/dev/null; (\n" + AccountsSection.sshdBody
                                               + "\n) >/dev/null; (\n" + body + "\n); rm -rf \"$PP_TMP\"", allowFailure: true).output
            try out.write(to: Self.fixtures.appendingPathComponent("accounts-realistic-\(label)-\(name).txt"), atomically: true, encoding: .utf8)
        }
    }
}
