/// The /etc/services names `ss` prints when run without -n (seen in the CentOS 7 `ss -a`
/// capture: ssh, smtp, bootpc). The collector itself always passes -n; this only reads captures.
enum PortNames {
    static func number(_ name: String) -> Int? { table[name] }

    static let table: [String: Int] = [
        "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "time": 37, "domain": 53,
        "bootps": 67, "bootpc": 68, "tftp": 69, "http": 80, "kerberos": 88, "pop3": 110, "sunrpc": 111,
        "auth": 113, "ntp": 123, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, "imap": 143,
        "imap2": 143, "snmp": 161, "snmp-trap": 162, "ldap": 389, "https": 443, "microsoft-ds": 445,
        "submissions": 465, "smtps": 465, "urd": 465, "syslog": 514, "submission": 587, "ipp": 631,
        "ldaps": 636, "rsync": 873, "imaps": 993, "pop3s": 995, "nfs": 2049, "mysql": 3306,
        "sieve": 4190, "postgresql": 5432, "mdns": 5353, "x11": 6000, "http-alt": 8080, "webcache": 8080,
    ]
}
