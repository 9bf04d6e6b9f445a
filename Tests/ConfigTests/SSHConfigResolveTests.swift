import XCTest
@testable import Config

final class SSHConfigResolveTests: XCTestCase {
    func testFirstObtainedValueWinsAndIdentityFilesAccumulate() {
        let c = sshConfig("""
            Host db1
              User first
              IdentityFile ~/.ssh/db1
            Host db*
              User second
              Port 2201
              IdentityFile ~/.ssh/db
              IdentityFile ~/.ssh/db1
            Host *
              Port 22
              IdentityFile ~/.ssh/all
            """)
        let s = c.resolve(host: "db1", localUser: "ops")
        XCTAssertEqual(s.user, "first")
        XCTAssertEqual(s.port, 2201)
        XCTAssertEqual(s.identityFiles, ["/home/ops/.ssh/db1", "/home/ops/.ssh/db", "/home/ops/.ssh/all"])
    }

    func testHostPatternsNegationAndCase() {
        let c = sshConfig("""
            Host web? !web3 api-*
              User web
            Host * !*.internal
              Port 2222
            Host WEB1
              HostKeyAlias upper
            """)
        XCTAssertEqual(c.resolve(host: "web1", localUser: "ops").user, "web")
        XCTAssertNil(c.resolve(host: "web3", localUser: "ops").user, "a matching negated pattern wins")
        XCTAssertNil(c.resolve(host: "web10", localUser: "ops").user, "? is exactly one character")
        XCTAssertEqual(c.resolve(host: "api-x", localUser: "ops").user, "web")
        XCTAssertNil(c.resolve(host: "db.internal", localUser: "ops").port)
        XCTAssertEqual(c.resolve(host: "db.example", localUser: "ops").port, 2222)
        // Host patterns compare the name as typed (ssh -G SERVER1 matches only "Host SERVER1").
        XCTAssertEqual(c.resolve(host: "WEB1", localUser: "ops").hostKeyAlias, "upper")
        XCTAssertNil(c.resolve(host: "web1", localUser: "ops").hostKeyAlias)
    }

    func testHostNameTokenAndLowercasing() {
        let c = sshConfig("Host short*\n  HostName %h.Example.COM\nHost raw\n  HostName 10.0.0.%%1\n")
        XCTAssertEqual(c.resolve(host: "shortA", localUser: "ops").hostName, "shorta.example.com")
        XCTAssertEqual(c.resolve(host: "raw", localUser: "ops").hostName, "10.0.0.%1")
        XCTAssertNil(c.resolve(host: "other", localUser: "ops").hostName)
    }

    func testMatchHostSeesHostNameOriginalHostDoesNot() {
        let c = sshConfig("""
            Host db
              HostName db.prod.example.com
            Match host *.prod.example.com
              User produser
            Match originalhost db
              Port 2200
            Match host db
              IdentityFile ~/never
            """)
        let s = c.resolve(host: "db", localUser: "ops")
        XCTAssertEqual(s.user, "produser")
        XCTAssertEqual(s.port, 2200)
        XCTAssertEqual(s.identityFiles, [])
    }

    func testMatchUserLocalUserAllAndNegation() {
        let c = sshConfig("""
            Match user deploy
              Port 1001
            Match localuser ops,admin !host *.lab
              ConnectTimeout 7
            Match !all
              User never
            Match all
              StrictHostKeyChecking accept-new
            """)
        var s = c.resolve(host: "a.prod", localUser: "ops")
        XCTAssertNil(s.port)
        XCTAssertEqual(s.connectTimeout, 7)
        XCTAssertNil(s.user)
        XCTAssertEqual(s.strictHostKeyChecking, "accept-new")
        s = c.resolve(host: "a.lab", localUser: "ops", user: "deploy")
        XCTAssertEqual(s.port, 1001, "Match user sees the user given outside the config")
        XCTAssertNil(s.connectTimeout)
        XCTAssertEqual(s.user, "deploy")
        XCTAssertNil(c.resolve(host: "a.prod", localUser: "root").connectTimeout)
    }

    func testMatchUserSeesUserObtainedEarlier() {
        let c = sshConfig("Host a\n  User svc\nMatch user svc\n  Port 9\nMatch user ops\n  Port 10\n")
        XCTAssertEqual(c.resolve(host: "a", localUser: "ops").port, 9)
        XCTAssertEqual(c.resolve(host: "b", localUser: "ops").port, 10, "no User yet: the local user")
    }

    func testFinalPassReadsTheConfigAgainWithTheFinalName() {
        let c = sshConfig(Self.finalPassConfig)
        let s = c.resolve(host: "alias", localUser: "ops")
        XCTAssertEqual(s.hostName, "real.example.com")
        XCTAssertEqual(s.user, "early")
        XCTAssertEqual(s.port, 4444)
        XCTAssertEqual(s.connectTimeout, 9)
        XCTAssertEqual(s.hostKeyAlias, "canon")
        XCTAssertEqual(s.identityFiles, ["/home/ops/first-pass"])
    }

    func testNoFinalPassWithoutMatchFinal() {
        let c = sshConfig("Host alias\n  HostName real\nHost real\n  Port 1\nMatch canonical\n  User c\n")
        let s = c.resolve(host: "alias", localUser: "ops")
        XCTAssertNil(s.port)
        XCTAssertNil(s.user)
        let canon = sshConfig("CanonicalizeHostname yes\nMatch canonical\n  User c\n").resolve(host: "x", localUser: "o")
        XCTAssertEqual(canon.user, "c", "CanonicalizeHostname on: ssh reads the config again")
        XCTAssertEqual(canon.ignored, ["CanonicalizeHostname"])
    }

    func testProxyJumpChainsAndProxyCommandInterplay() {
        let c = sshConfig("""
            Host chain
              ProxyJump j1, bob@j2:2022 ,[::1]:22
            Host cmd-first
              ProxyCommand nc %h %p
              ProxyJump j1
            Host jump-first
              ProxyJump j1
              ProxyCommand foo
            Host none-first
              ProxyJump none
              ProxyJump j2
              ProxyCommand foo
            Host cmd-none
              ProxyCommand none
            Host *
              ProxyJump jall
            """)
        XCTAssertEqual(c.resolve(host: "chain", localUser: "o").proxyJump, ["j1", "bob@j2:2022", "[::1]:22"])
        XCTAssertEqual(c.resolve(host: "cmd-first", localUser: "o").proxyJump, [])
        XCTAssertEqual(c.resolve(host: "cmd-first", localUser: "o").ignored, ["ProxyCommand"])
        XCTAssertEqual(c.resolve(host: "jump-first", localUser: "o").proxyJump, ["j1"])
        XCTAssertEqual(c.resolve(host: "jump-first", localUser: "o").ignored, [])
        XCTAssertEqual(c.resolve(host: "none-first", localUser: "o").proxyJump, [])
        XCTAssertEqual(c.resolve(host: "none-first", localUser: "o").ignored, ["ProxyCommand"])
        XCTAssertEqual(c.resolve(host: "cmd-none", localUser: "o").proxyJump, [], "ProxyCommand none blocks ProxyJump")
        XCTAssertEqual(c.resolve(host: "cmd-none", localUser: "o").ignored, [])
        XCTAssertEqual(c.resolve(host: "other", localUser: "o").proxyJump, ["jall"])
    }

    func testTokensAndTildeInPaths() {
        let c = sshConfig("""
            Host db
              HostName db.example.com
              User dba
              Port 2200
              HostKeyAlias dbkey
            Host *
              IdentityFile ~/.ssh/%h_%r_%p_%u_%n_%k_%%_%C
              IdentityFile %d/keys/id
              IdentityFile ~other/key
              UserKnownHostsFile ~/.ssh/kh_%h /etc/second
            """)
        let s = c.resolve(host: "db", localUser: "ops")
        XCTAssertEqual(s.identityFiles, ["/home/ops/.ssh/db.example.com_dba_2200_ops_db_dbkey_%_%C",
                                         "/home/ops/keys/id", "~other/key"])
        XCTAssertEqual(s.userKnownHostsFile, "/home/ops/.ssh/kh_db.example.com")
        let other = c.resolve(host: "x", localUser: "ops")
        XCTAssertEqual(other.identityFiles.first, "/home/ops/.ssh/x_ops_22_ops_x_x_%_%C")
    }

    func testConnectTimeoutNoneLeavesItOpen() {
        let c = sshConfig("Host a\n  ConnectTimeout none\nHost *\n  ConnectTimeout 1m\n")
        XCTAssertEqual(c.resolve(host: "a", localUser: "o").connectTimeout, 60)
    }

    func testKnownHostsNoneAndStrictOff() {
        let c = sshConfig("Host *\n  UserKnownHostsFile none\n  StrictHostKeyChecking off\n  IdentitiesOnly=YES\n")
        let s = c.resolve(host: "a", localUser: "o")
        XCTAssertEqual(s.userKnownHostsFile, "none")
        XCTAssertEqual(s.strictHostKeyChecking, "no")
        XCTAssertEqual(s.identitiesOnly, true)
    }

    func testCommandLinePortAndUserWin() {
        let c = sshConfig("Host *\n  User cfg\n  Port 2\n  IdentityFile ~/%r@%p\n")
        let s = c.resolve(host: "a", localUser: "o", user: "cli", port: 3)
        XCTAssertEqual(s.user, "cli")
        XCTAssertEqual(s.port, 3)
        XCTAssertEqual(s.identityFiles, ["/home/ops/cli@3"])
    }

    func testIgnoredKeywordsOnlyFromBlocksThatApplied() {
        let c = sshConfig("Host a\n  ForwardAgent yes\n  ControlMaster auto\nHost *\n  ForwardAgent no\n  SendEnv LANG\n")
        XCTAssertEqual(c.resolve(host: "a", localUser: "o").ignored, ["ForwardAgent", "ControlMaster", "SendEnv"])
        XCTAssertEqual(c.resolve(host: "b", localUser: "o").ignored, ["ForwardAgent", "SendEnv"])
    }
}

extension SSHConfigResolveTests {
    /// A first pass and a `Match final` pass that see different names; SSHConfigOpenSSHTests
    /// checks the same text against `ssh -G`.
    static let finalPassConfig = """
            Match host real.example.com
              User early
            Host alias
              HostName Real.Example.com
            Host real.example.com
              Port 4444
            Match final
              ConnectTimeout 9
            Match canonical
              HostKeyAlias canon
            Match !final
              IdentityFile ~/first-pass
            """
}
