import Model

/// Sends a StartupMessage and reads up to the first decision the server makes: an authentication
/// request (up; we stop there), an ErrorResponse (up, unless the server says it is not accepting
/// connections), or trust, in which case we read on to ReadyForQuery for `server_version`.
///
/// PostgreSQL passwords are not sent: SCRAM and md5 need SHA-256/MD5, which this package has no
/// dependency for, and "the server asks for scram-sha-256" already proves it is up.
enum PostgresProbe {
    static func speak(_ wire: WireReader, check: DatabaseCheck) async throws -> ProbeOutcome {
        let user = check.user ?? "postgres"
        let database = check.database ?? "postgres"
        try await wire.send(PostgresWire.startupMessage(user: user, database: database))
        var version: String?
        while true {
            switch try await wire.next(PostgresWire.decode) {
            case .authentication(code: 0, _):
                continue
            case .authentication(let code, let mechanisms):
                // Closing here, without Terminate, is what psql does before prompting for a password:
                // the server treats EOF during authentication as silent, while Terminate is logged.
                let method = PostgresWire.authenticationName(code: code, mechanisms: mechanisms)
                return ProbeOutcome(up: true, version: version, detail: "authentication required (\(method))")
            case .parameterStatus(let name, let value):
                if name == "server_version" { version = value }
            case .error(let fields):
                return outcome(forError: fields, version: version)
            case .readyForQuery:
                try? await wire.send(PostgresWire.terminate)
                return ProbeOutcome(up: true, version: version, detail: "no authentication required")
            case .notice, .other:
                continue
            }
        }
    }

    /// An ErrorResponse proves a PostgreSQL server answered. SQLSTATE class 57P ("the database system
    /// is starting up", "... shutting down", "in recovery") means it answers but serves nobody: down.
    static func outcome(forError fields: [Character: String], version: String?) -> ProbeOutcome {
        let message = fields["M"] ?? "error without a message"
        let severity = fields["S"].map { "\($0): " } ?? ""
        let code = fields["C"] ?? ""
        if code.hasPrefix("57P") {
            return ProbeOutcome(up: false, version: version, detail: nil,
                                error: "server is not accepting connections: \(message) (SQLSTATE \(code))")
        }
        return ProbeOutcome(up: true, version: version, detail: Sanitize.text(severity + message))
    }
}
