import Collect
import Engine
import Foundation
import LabKit
import Model
import XCTest

/// Learned endpoint probes end to end on a realistic Debian 12 host (systemd-nspawn, nginx from
/// the Debian package): nginx proxying to a backend on a unix socket, and a server that greets
/// first. The "patch" takes the backend away: `verify` fails with exactly one regression, the
/// proxy's 502 on its port. A changed greeting is info. Nothing the probes do makes nginx or
/// sshd log an error.
final class EndpointsEndToEndTests: E2ETestCase {
    static let backend = """
        server {
            listen unix:/run/postpatch-lab-backend.sock;
            location / { return 200 "backend ok\\n"; }
        }
        """
    static let front = """
        server {
            listen 8080;
            location / { proxy_pass http://unix:/run/postpatch-lab-backend.sock; }
        }
        """
    static let postfix = "220 endpoints-web ESMTP Postfix (Debian/GNU)"
    static let exim = "220 endpoints-web ESMTP Exim 4.96 Thu, 26 Nov 2026 00:21:32 +0000"

    /// A server that greets first on port 2525: perl (in every Debian) under systemd, greeting
    /// with the first line of /etc/postpatch-lab-banner, read per connection.
    static let bannerScript = """
        use IO::Socket::INET;
        my $s = IO::Socket::INET->new(LocalAddr => "0.0.0.0", LocalPort => 2525, Listen => 16, ReuseAddr => 1) or die "listen: $!";
        while (my $c = $s->accept) {
            open(my $f, "<", "/etc/postpatch-lab-banner") or die "banner: $!";
            my $b = <$f>; close $f; chomp $b;
            print $c "$b\\r\\n";
            my $rin = ""; vec($rin, fileno($c), 1) = 1;
            if (select(my $r = $rin, undef, undef, 2)) { my $l = <$c>; print $c "221 Bye\\r\\n" if defined $l && $l =~ /^QUIT/i; }
            close $c;
        }
        """

    func installBannerServer(_ host: SystemdHost, greeting: String) async throws {
        try await host.runAsRoot("""
            printf '%s\\n' \(ShellQuote.quote(greeting)) > /etc/postpatch-lab-banner
            printf '%s\\n' \(ShellQuote.quote(Self.bannerScript)) > /usr/local/lib/postpatch-lab-banner.pl
            printf '[Service]\\nExecStart=/usr/bin/perl /usr/local/lib/postpatch-lab-banner.pl\\n' > /etc/systemd/system/postpatch-lab-banner.service
            systemctl daemon-reload && systemctl start postpatch-lab-banner.service
            for _ in $(seq 50); do ss -Hltn 'sport = :2525' | grep -q . && exit 0; sleep 0.1; done; exit 1
            """)
    }

    func testProxyWhoseBackendIsGoneFailsWithOne502RegressionAndAChangedGreetingIsInfo() async throws {
        let host = try await bootSettledHost("endpoints-web", flavour: .realistic)
        let kh = host.knownHostsPath
        try await host.nginxSite("backend", Self.backend)
        try await host.nginxSite("front", Self.front)
        try await installBannerServer(host, greeting: Self.postfix)
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        // bootSettledHost logged in as pplab: its user manager lingers ten seconds after the
        // logout. The captures log in as pplab-sudo, whose manager is there each time.
        try await host.runAsRoot("for _ in $(seq 150); do systemctl is-active --quiet user@1000.service || exit 0; sleep 0.2; done; exit 1")

        let baselines = try await baseline([t], knownHosts: kh)
        let base = try XCTUnwrap(baselines.first)
        func answer(_ subject: String) -> EndpointAnswer? { base.endpoints.first { $0.subject == subject } }
        XCTAssertNil(base.gap(.endpoints))
        XCTAssertEqual(Set(base.endpoints.map(\.subject)),
                       ["tcp 0.0.0.0:22", "tcp6 [::]:22", "tcp 0.0.0.0:80", "tcp6 [::]:80", "tcp 0.0.0.0:8080", "tcp 0.0.0.0:2525"])
        XCTAssertEqual(answer("tcp 0.0.0.0:8080")?.http?.status, 200)
        XCTAssertEqual(answer("tcp 0.0.0.0:8080")?.process, "nginx")
        XCTAssertEqual(answer("tcp 0.0.0.0:80")?.http?.status, 200)
        XCTAssertEqual(answer("tcp6 [::]:80")?.http?.status, 200)
        XCTAssertEqual(answer("tcp 0.0.0.0:80")?.http?.title, "Welcome to nginx!", "the page's title, read from its body")
        XCTAssertEqual(answer("tcp 0.0.0.0:80")?.http?.server, "nginx")
        XCTAssertEqual(answer("tcp 0.0.0.0:22")?.banner?.product, "OpenSSH")
        XCTAssertEqual(answer("tcp6 [::]:22")?.banner?.product, "OpenSSH")
        XCTAssertEqual(answer("tcp 0.0.0.0:2525")?.banner, BannerInfo(proto: "smtp", product: "Postfix", line: Self.postfix))

        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")
        // The probes made no service complain: nginx's error log is empty; sshd logged none of
        // the complaints about a client that does not speak SSH (its own PAM noise about
        // /etc/default/locale comes with every login of the harness, not with a probe).
        let nginxErrors = try await host.runAsRoot("cat /var/log/nginx/error.log")
        XCTAssertEqual(nginxErrors.output.trimmingCharacters(in: .whitespacesAndNewlines), "")
        let sshd = try await host.runAsRoot("journalctl -q -u ssh.service --no-pager")
        let complaints = sshd.output.split(separator: "\n").filter { line in
            ["kex_exchange_identification", "Bad protocol version", "Did not receive identification", "banner exchange"]
                .contains { line.contains($0) }
        }
        XCTAssertEqual(complaints, [])
        XCTAssertTrue(sshd.output.contains("[preauth]"), "the probes' connections are in sshd's journal: \(sshd.output.suffix(2000))")

        // The patch: the backend's server block goes, its socket with it.
        try await host.removeNginxSite("backend")
        let broken = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(broken, [.init(.httpStatusChanged, .regression, "tcp 0.0.0.0:8080")], "backend gone")
        let f = broken?.findings.first
        XCTAssertEqual([f?.before, f?.after], ["200", "502"])
        XCTAssertEqual(f?.message, "GET / on tcp 0.0.0.0:8080 answers 502, was 200")

        // Backend back; the greeting names another mail server.
        try await host.nginxSite("backend", Self.backend)
        try await host.runAsRoot("printf '%s\\n' \(ShellQuote.quote(Self.exim)) > /etc/postpatch-lab-banner")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.bannerChanged, .info, "tcp 0.0.0.0:2525")], "Postfix became Exim")

        // What learning costs here: captures with and without, each best of three.
        var off = t
        off.checks.learning.enabled = false
        var with: [Int] = [], without: [Int] = []
        for _ in 0..<3 {
            with.append(try await capture(t, knownHosts: kh).durationMs)
            without.append(try await capture(off, knownHosts: kh).durationMs)
        }
        print("E2E: learned probes of 6 endpoints on \(host.name): capture \(with.min()!) ms with, \(without.min()!) ms without "
              + "(all: \(with) vs \(without))")
    }

    /// nginx with TLS on 8443, certificates made inside the host with its own openssl: another
    /// certificate is info, TLS 1.3 allowed besides 1.2 is a protocol change (warning), a
    /// certificate expiring in three days a warning, plain HTTP on the port a failed handshake.
    func testTLSChangesOfNginxAreLearned() async throws {
        let host = try await bootSettledHost("endpoints-tls", flavour: .realistic)
        let kh = host.knownHostsPath
        let folder = "/etc/nginx/postpatch-lab"
        func certificate(_ name: String, days: Int) async throws -> (certificate: String, key: String) {
            try await host.runAsRoot("mkdir -p \(folder) && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                                     + "-keyout \(folder)/\(name).key -out \(folder)/\(name).pem -subj /CN=endpoints-tls-\(name) "
                                     + "-days \(days) 2>&1 && chmod 600 \(folder)/\(name).key")
            return ("\(folder)/\(name).pem", "\(folder)/\(name).key")
        }
        func serve(_ cert: (certificate: String, key: String), _ protocols: [String]) async throws {
            try await host.nginxSite("tls", SystemdHost.nginxTLSServer(port: 8443, certificate: cert.certificate, key: cert.key,
                                                                       protocols: protocols, body: "return 200 \"ok\\n\";"))
        }
        let first = try await certificate("a", days: 200), second = try await certificate("b", days: 200)
        let expiring = try await certificate("c", days: 3)
        try await serve(first, ["TLSv1.2"])
        try await host.runAsRoot("for _ in $(seq 150); do systemctl is-active --quiet user@1000.service || exit 0; sleep 0.2; done; exit 1")
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let baselines = try await baseline([t], knownHosts: kh)
        let tls = try XCTUnwrap(baselines.first?.endpoints.first { $0.subject == "tcp 0.0.0.0:8443" })
        XCTAssertEqual(tls.method, .tls)
        XCTAssertEqual(tls.tls?.version, "TLSv1.2")
        XCTAssertEqual(tls.tls?.certificate?.subject, "CN=endpoints-tls-a")
        XCTAssertEqual(tls.http?.status, 200)
        XCTAssertEqual(tls.http?.server, "nginx", "HTTP inside TLS reads the page too")
        let subject = "tcp 0.0.0.0:8443"
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        try await serve(second, ["TLSv1.2"])
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.tlsCertificateChanged, .info, subject)], "another certificate")
        try await serve(second, ["TLSv1.2", "TLSv1.3"])
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.tlsCertificateChanged, .info, subject), .init(.tlsProtocolChanged, .warning, subject)], "TLS 1.3 too")
        try await serve(expiring, ["TLSv1.2", "TLSv1.3"])
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.tlsCertificateChanged, .info, subject), .init(.tlsProtocolChanged, .warning, subject),
                        .init(.tlsCertificateExpiring, .warning, subject)], "a certificate expiring in three days")
        try await host.nginxSite("tls", "server { listen 8443; location / { return 200 \"plain\\n\"; } }")
        let plain = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(plain, [.init(.tlsHandshakeFailed, .regression, subject)], "plain HTTP on the TLS port")
        print("E2E: \(plain?.findings.first?.message ?? "")")
    }
}
