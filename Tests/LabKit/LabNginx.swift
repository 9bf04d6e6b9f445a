import Foundation

/// nginx inside a lab systemd host booted from the realistic rootfs (Debian's nginx, its default
/// site on port 80): sites written as files under /etc/nginx/conf.d (inside `http {}`), checked
/// with `nginx -t`, and reloaded with the old workers waited out, so the next request is served
/// by the new configuration. For TLS, a certificate and key from this machine are copied in.
extension SystemdHost {
    /// Where lab sites go: conf.d is included by Debian's nginx.conf inside `http {}`.
    public static func nginxSitePath(_ name: String) -> String { "/etc/nginx/conf.d/postpatch-lab-\(name).conf" }

    /// Writes (or replaces) the site `name` with `config`, then checks and reloads.
    public func nginxSite(_ name: String, _ config: String) async throws {
        try await runAsRoot("printf '%s\\n' \(Self.shellQuote(config)) > \(Self.nginxSitePath(name))")
        try await nginxReload()
    }

    /// Removes the site `name`, then checks and reloads.
    public func removeNginxSite(_ name: String) async throws {
        try await runAsRoot("rm -f \(Self.nginxSitePath(name))")
        try await nginxReload()
    }

    /// `nginx -t`, `systemctl reload nginx`, then waits until every worker of the old
    /// configuration has exited (a reload is asynchronous: old workers finish their connections).
    public func nginxReload(timeout: Duration = .seconds(20)) async throws {
        let script = """
            nginx -t -q || exit 1
            master=$(cat /run/nginx.pid)
            old=$(pgrep -P "$master" | tr '\\n' ' ')
            systemctl reload nginx || exit 1
            for _ in $(seq 200); do
                left=
                for p in $old; do [ -d /proc/$p ] && left="$left $p"; done
                [ -z "$left" ] && [ -n "$(pgrep -P "$master")" ] && exit 0
                sleep 0.1
            done
            echo "old nginx workers still running:$left" >&2
            exit 1
            """
        try await runAsRoot(script, timeout: timeout)
    }

    /// Copies a PEM certificate and key from this machine into /etc/nginx/postpatch-lab/ and
    /// returns their paths inside the host, for `nginxTLSServer`.
    public func nginxCertificate(certificate: URL, key: URL) async throws -> (certificate: String, key: String) {
        let folder = "/etc/nginx/postpatch-lab"
        try await upload([certificate, key], into: folder)
        try await runAsRoot("chmod 600 \(folder)/\(Self.shellQuote(key.lastPathComponent))")
        return ("\(folder)/\(certificate.lastPathComponent)", "\(folder)/\(key.lastPathComponent)")
    }

    /// A TLS server block on `port` with the given certificate, restricted to `protocols`
    /// ("TLSv1.2", "TLSv1.3"), answering `GET /` with `body` (nginx directives, e.g.
    /// `return 200 "ok\\n";` or a `proxy_pass`).
    public static func nginxTLSServer(port: Int, certificate: String, key: String,
                                      protocols: [String] = ["TLSv1.2", "TLSv1.3"], body: String) -> String {
        """
        server {
            listen \(port) ssl;
            ssl_certificate \(certificate);
            ssl_certificate_key \(key);
            ssl_protocols \(protocols.joined(separator: " "));
            location / { \(body) }
        }
        """
    }
}
