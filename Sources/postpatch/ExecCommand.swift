import ArgumentParser
import Engine
import Foundation
import Model

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command on hosts concurrently and print each host's output under its name.",
        usage: "postpatch exec [<options>] <host> ... -- <command>",
        discussion: """
        Hosts are written [user@]host[:port], [user@][ipv6]:port, a name from the config, or `local` \
        (this machine, through /bin/sh). The command follows `--`.

        Exit codes: 0 every host ran and exited 0; 1 some command exited non-zero, ended by a signal, \
        timed out or passed the output cap; 3 some host could not be reached or authenticated \
        (and no command failed); 2 usage error.
        """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Hosts: [user@]host[:port], config names, or `local`.")
    var hosts: [String] = []

    /// Every word after the first `--`, options and all (`-- ls -la` runs `ls -la`): set by
    /// `withCommand` on the parsed value, not parsed. ArgumentParser's own way,
    /// `@Argument(parsing: .postTerminator)`, cannot follow the `hosts` list: its debug-build
    /// check refuses any positional after an array ("Can't have a positional argument following
    /// an array of positional arguments"), so the words after `--` are split off first.
    var command: [String] = []

    private enum CodingKeys: CodingKey { case connection, hosts }

    /// `arguments` of the whole command line split at exec's first `--`: what ArgumentParser
    /// parses, and the remote command. Any other command's arguments are returned whole.
    static func split(_ arguments: [String]) -> (parse: [String], command: [String]?) {
        guard arguments.first == configuration.commandName, let dash = arguments.firstIndex(of: "--") else { return (arguments, nil) }
        return (Array(arguments[..<dash]), Array(arguments[(dash + 1)...]))
    }

    func validate() throws {
        if hosts.isEmpty && connection.group == nil && connection.inventory == nil {
            throw ValidationError("name at least one host, or --group, or --inventory for all of its hosts")
        }
    }

    func run() async throws {
        if command.isEmpty { throw Failure("exec: give the command after `--`, e.g. postpatch exec web1 -- uptime", .usage) }
        let config = try connection.loadConfig(hostsGiven: !hosts.isEmpty)
        let targets = try connection.targets(hosts, config: config)
        let connector = try connection.connector(for: targets)
        let start = ContinuousClock.now
        let progress = ProgressLine("exec", total: targets.count, parallel: connection.parallel)
        let printer = ExecPrinter(progress: progress)
        let outcomes = await ExecJob.run(command.joined(separator: " "), targets: targets, connector: connector,
                                         parallel: connection.parallel, outputCap: connection.outputCap) { o in
            printer.print(o)
            progress.hostDone(failed: !o.ok)
        }
        progress.finish()
        let elapsed = start.duration(to: .now)
        let ok = outcomes.filter(\.ok).count
        let unreachable = outcomes.filter { $0.unreachable && !$0.loginFailed }.count
        let loginFailed = outcomes.filter(\.loginFailed).count
        let failed = outcomes.count - ok - unreachable - loginFailed
        writeOut(String(format: "exec: %d host%@: %d ok, %d failed, %d unreachable%@ in %.2f s\n",
                        outcomes.count, outcomes.count == 1 ? "" : "s", ok, failed, unreachable,
                        loginFailed == 0 ? "" : ", \(loginFailed) login failed", elapsed.inSeconds))
        let status = ExecJob.exitStatus(outcomes)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

/// Prints each host's block as soon as it finishes, one host at a time.
final class ExecPrinter: @unchecked Sendable {
    private let progress: ProgressLine
    init(progress: ProgressLine) { self.progress = progress }

    func print(_ o: ExecOutcome) {
        var out = Data()
        func line(_ s: String) { out.append(Data((s + "\n").utf8)) }
        let secs = String(format: "%.2f s", o.seconds)
        if let error = o.error {
            line("=== \(o.target.name): \(o.loginFailed ? "LOGIN FAILED" : o.unreachable ? "UNREACHABLE" : "FAILED") (\(secs))")
            line(error)
        } else if let r = o.result {
            let how = r.exitSignal.map { "killed by SIG\($0)" } ?? "exit \(r.exitStatus ?? -1)"
            line("=== \(o.target.name): \(how) (\(secs))")
            out.append(contentsOf: r.stdout)
            if let last = r.stdout.last, last != 0x0A { line("") }
            if !r.stderr.isEmpty {
                line("--- \(o.target.name) stderr")
                out.append(contentsOf: r.stderr)
                if let last = r.stderr.last, last != 0x0A { line("") }
            }
        }
        progress.around { writeOut(out) }
    }
}
