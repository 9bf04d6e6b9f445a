import Model

/// Which learned probe a listening port gets, from its number and the process holding it. Pure.
///
/// The rule that keeps probes harmless: HTTP goes only to a port that is a known HTTP port, is
/// held by a known web server or proxy, or completed a TLS handshake on a known HTTPS port; a
/// known non-HTTP service (by process, then by port) gets its own harmless handshake, its
/// greeting read, or a silent connect; anything else is only listened to (a server that speaks
/// first is recognised by its greeting, and a recognised greeting gets the protocol's goodbye).
///
/// Order of the decision (docs/endpoints.md says the same):
/// 1. a known service process (sshd, postgres, redis-server, ...) gets that service's plan on any port;
/// 2. a known service port (22, 5432, 6379, 25, ...) gets that service's plan, whoever holds it
///    (nginx's `stream` or haproxy in TCP mode pass the bytes on to the real service);
/// 3. a known TLS port gets a handshake, then `GET /`, the greeting, or nothing, as the port says;
/// 4. a known HTTP port gets `GET /`;
/// 5. a web server or proxy process on any other port gets `GET /`, after a short listen;
/// 6. anything else: a banner wait, nothing sent.
/// A process known to speak something else (a mail or DNS server, php-fpm) never gets HTTP,
/// whatever its port: steps 3 to 5 then fall back to TLS alone or a banner wait.
public enum EndpointPolicy {
    /// The plan for a port, told what the same socket answered in the baseline (nil: no baseline,
    /// or the socket is new since). The one place that decides how long a greeting is awaited:
    /// - a port of no known use is given the short banner wait (`EndpointProbe.Settings.bannerWait`):
    ///   a capture with many silent ports must stay fast, and a silent port proves nothing;
    /// - a port that greeted first in the baseline is given the probe's whole time to greet again
    ///   (as a known greeting service is): a busy server-first daemon may take longer than the short
    ///   wait today without having changed, and silence after the short wait would be a false
    ///   `endpoint-silent`; a daemon that really stopped greeting still says so within the timeout;
    /// - a web server or proxy that passed a greeting in the baseline (a TCP proxy in front of SSH
    ///   or SMTP) is awaited the same way, and is never sent HTTP.
    /// A port silent in the baseline keeps the short wait: nothing is learned by waiting longer.
    public static func plan(port: Int, process: String?, baseline: EndpointAnswer?) -> EndpointPlan {
        let plain = plan(port: port, process: process)
        guard let baseline, greetedFirst(baseline) else { return plain }
        let shortWait = plain.method == .banner && !plain.greetingExpected
        guard shortWait || (plain.method == .http && plain.listenFirst) else { return plain }
        return .greeting("\(plain.reason); greeted in the baseline, so its greeting is awaited the probe's whole time")
    }

    /// True when the server spoke first in `answer`: a greeting read before anything was sent
    /// (a banner wait, an SSH identification, a proxy's passed greeting). A reply to our own
    /// request (PostgreSQL's 'S'/'N', Redis's +PONG) or a greeting inside TLS is not one: a plain
    /// banner wait would never hear it.
    static func greetedFirst(_ answer: EndpointAnswer) -> Bool {
        guard answer.answered, let banner = answer.banner else { return false }
        switch answer.method {
        case .banner, .http: return true
        case .handshake: return banner.proto == "ssh"
        case .tls, .connect: return false
        }
    }

    public static func plan(port: Int, process: String?) -> EndpointPlan {
        let kind = process.flatMap(processKind)
        if case .service(let plan)? = kind { return plan }
        if let plan = servicePorts[port] { return plan }
        let noHTTP: Bool
        if case .notHTTP? = kind { noHTTP = true } else { noHTTP = false }
        if let after = tlsPorts[port] {
            let name = after == .http ? "HTTPS" : "TLS"
            if noHTTP && after == .http {
                return .tls(.nothing, "known \(name) port \(port), held by \(process ?? "?"), which does not speak HTTP")
            }
            return .tls(after, "known \(name) port \(port)")
        }
        if httpPorts.contains(port) {
            if noHTTP { return .banner("known HTTP port \(port), held by \(process ?? "?"), which does not speak HTTP") }
            return .http("known HTTP port \(port)")
        }
        if case .web? = kind { return .http("web server or proxy \(process ?? "?")", listenFirst: true) }
        return .banner("no known use of port \(port)")
    }

    // MARK: processes

    enum ProcessKind: Equatable {
        /// A service with a plan of its own, on any port.
        case service(EndpointPlan)
        /// A web server or proxy: HTTP is welcome.
        case web
        /// Speaks something else: never HTTP; the port decides the rest.
        case notHTTP
    }

    /// The kernel keeps 15 bytes of a process name (`comm`): "prometheus-node-exporter" shows as
    /// "prometheus-node", "systemd-resolved" as "systemd-resolve". A 15-character name therefore
    /// matches any table name it starts.
    static func processKind(_ comm: String) -> ProcessKind? {
        // php-fpm names its processes after its version: "php-fpm8.2".
        let name = comm.hasPrefix("php-fpm") ? "php-fpm" : comm
        func matches(_ known: String) -> Bool { name == known || (name.count == 15 && known.hasPrefix(name)) }
        if let entry = serviceProcesses.first(where: { $0.names.contains(where: matches) }) {
            return .service(entry.plan)
        }
        if webProcesses.contains(where: matches) { return .web }
        if notHTTPProcesses.contains(where: matches) { return .notHTTP }
        return nil
    }

    /// Services with a plan of their own, by process name.
    static let serviceProcesses: [(names: [String], plan: EndpointPlan)] = [
        (["sshd", "dropbear"], .handshake(.ssh, "SSH server")),
        (["postgres", "postmaster", "pgbouncer"], .handshake(.postgres, "PostgreSQL server")),
        (["redis-server", "redis-sentinel", "valkey-server", "keydb-server"], .handshake(.redis, "Redis server")),
        // MySQL speaks first; closing after its greeting is the quietest goodbye there is
        // (MariaDB logs it only from log_warnings 4, as any client that never logs in).
        (["mysqld", "mariadbd"], .greeting("MySQL/MariaDB server (greets first)")),
        (["memcached"], .connect("memcached")),
        (["mongod", "mongos"], .connect("MongoDB server")),
        (["slapd"], .connect("LDAP server")),
        (["rpcbind", "portmap"], .connect("rpcbind")),
        (["smbd", "nmbd"], .connect("Samba")),
        (["krb5kdc", "kadmind"], .connect("Kerberos")),
        // FastCGI is binary: an HTTP request to php-fpm is a malformed record it complains about.
        (["php-fpm"], .connect("PHP-FPM (FastCGI)")),
        (["epmd", "beam.smp"], .connect("Erlang node (RabbitMQ, CouchDB)")),
        (["zookeeper", "kafka"], .connect("ZooKeeper/Kafka")),
    ]

    /// Web servers and proxies: HTTP is what they speak.
    static let webProcesses: Set<String> = [
        "nginx", "apache2", "httpd", "caddy", "haproxy", "lighttpd", "traefik", "envoy", "varnishd", "h2o",
        "openresty", "angie", "tengine", "squid", "cupsd", "grafana", "grafana-server", "prometheus",
        "node_exporter", "prometheus-node-exporter", "alertmanager", "pushgateway", "cockpit-ws", "uwsgi",
        "gunicorn", "puma", "unicorn", "kube-apiserver", "kubelet",
    ]

    /// Processes that speak something else on all their ports: mail and DNS servers above all.
    static let notHTTPProcesses: Set<String> = [
        "master", "smtpd", "exim", "exim4", "sendmail", "opensmtpd", "dovecot", "imap-login", "pop3-login",
        "cyrus-master", "vsftpd", "proftpd", "pure-ftpd", "named", "dnsmasq", "unbound", "systemd-resolved",
        "pdns_server", "pdns_recursor", "knotd", "coredns", "nsd", "chronyd", "ntpd", "rsync", "xinetd",
        "inetd", "mosquitto", "rpc.mountd", "rpc.statd", "Xorg", "Xvnc",
    ]

    // MARK: ports

    /// Known non-HTTP service ports (IANA numbers, and the usual ports of common daemons).
    static let servicePorts: [Int: EndpointPlan] = {
        var table: [Int: EndpointPlan] = [:]
        func add(_ ports: [Int], _ plan: EndpointPlan) { for p in ports { table[p] = plan } }
        add([22], .handshake(.ssh, "SSH port 22"))
        add([5432, 6432], .handshake(.postgres, "PostgreSQL port"))
        add([6379, 26379], .handshake(.redis, "Redis port"))
        // Greet first: the greeting is read, then the protocol's goodbye (QUIT, LOGOUT) sent.
        add([3306], .greeting("MySQL/MariaDB port 3306 (greets first)"))
        add([21], .greeting("FTP port 21 (greets first)"))
        add([25, 587, 2525], .greeting("SMTP port (greets first)"))
        add([110], .greeting("POP3 port 110 (greets first)"))
        add([143], .greeting("IMAP port 143 (greets first)"))
        add([4190], .greeting("ManageSieve port 4190 (greets first)"))
        add([873], .greeting("rsync daemon port 873 (greets first)"))
        add([5900, 5901], .greeting("VNC port (greets first)"))
        add([33060], .connect("MySQL X protocol port 33060"))
        add([11211], .connect("memcached port 11211"))
        add([27017, 27018, 27019], .connect("MongoDB port"))
        add([389, 3268], .connect("LDAP port"))
        add([53], .connect("DNS over TCP port 53"))
        add([111], .connect("rpcbind port 111"))
        add([2049], .connect("NFS port 2049"))
        add([139, 445], .connect("SMB port"))
        add([88, 464, 749], .connect("Kerberos port"))
        add([4369, 5672, 25672], .connect("Erlang/AMQP port"))
        add([1883], .connect("MQTT port 1883"))
        add([2181, 9092], .connect("ZooKeeper/Kafka port"))
        add([1433, 1521], .connect("SQL Server/Oracle port"))
        add([514, 515], .connect("syslog/LPD port"))
        return table
    }()

    /// Known TLS ports and what follows the handshake.
    static let tlsPorts: [Int: EndpointPlan.AfterTLS] = {
        var table: [Int: EndpointPlan.AfterTLS] = [:]
        // HTTPS: the web, Kubernetes (6443 API server, 10250 kubelet, 10257/10259 controller and
        // scheduler), Docker's TLS API (2376), WinRM over HTTPS (5986), Proxmox (8006), cPanel.
        for p in [443, 4443, 8443, 9443, 6443, 2376, 5986, 10250, 10257, 10259, 8006, 2083, 2087] { table[p] = .http }
        // Implicit TLS, then the server greets: IMAPS, POP3S, SMTPS (submissions), FTPS, IRC over TLS.
        for p in [993, 995, 465, 990, 6697] { table[p] = .greeting }
        // TLS, then a binary or client-first protocol: LDAPS, DNS over TLS, SIP-TLS, MQTT over TLS,
        // the LDAP global catalog over TLS, AMQPS, Kafka over TLS.
        for p in [636, 853, 5061, 8883, 3269, 5671, 9093] { table[p] = .nothing }
        return table
    }()

    /// Known plain HTTP ports. 9000 (PHP-FPM's FastCGI by default) and 9100 (node_exporter, or a
    /// printer's raw port) are deliberately absent: they get HTTP only when a web process holds them.
    static let httpPorts: Set<Int> = [80, 81, 8080, 8000, 8008, 8081, 8082, 8088, 8888, 3000, 5000, 9090, 2375, 9200, 5601,
                                      15672, 8500, 631]
}
