import ArgumentParser
import Foundation
import Model

/// Entry point: parses, runs, and maps every failure to one of PostPatch's exit codes
/// (ArgumentParser's own usage errors would exit 64; PostPatch promises 2).
@main
enum Main {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            let (arguments, remote) = ExecCommand.split(Array(CommandLine.arguments.dropFirst()))
            var command = try PostPatch.parseAsRoot(arguments)
            if let remote, var exec = command as? ExecCommand {
                exec.command = remote
                command = exec
            }
            if var c = command as? AsyncParsableCommand {
                try await Interrupts.run { try await c.run() }
            } else {
                try command.run()
            }
            Output.flushStdout()
        } catch let exit as ExitCode {
            Output.flushStdout()
            Foundation.exit(exit.rawValue)
        } catch let failure as Failure {
            printError(failure.description)
            Foundation.exit(failure.status.rawValue)
        } catch {
            let code = PostPatch.exitCode(for: error)
            if code == .success {
                writeOut(PostPatch.fullMessage(for: error) + "\n")
                Output.flushStdout()
                Foundation.exit(0)
            }
            printError(oneLine(PostPatch.message(for: error)))
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}

/// SIGINT and SIGTERM cancel the run: running remote commands are ended (their channels
/// closed), captures in flight are dropped (no baseline is written from them: files are only
/// ever replaced atomically), and the process exits 130 within a few seconds.
enum Interrupts {
    static func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await body() }
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                printError("interrupted (\(sig == SIGINT ? "SIGINT" : "SIGTERM")): ending remote commands; no baseline is written from an unfinished capture")
                task.cancel()
                DispatchQueue.global().asyncAfter(deadline: .now() + 5) { exit(ExitStatus.interrupted.rawValue) }
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        let result = await task.result
        if task.isCancelled { throw ExitCode(ExitStatus.interrupted.rawValue) }
        try result.get()
    }
}

/// ArgumentParser's message as one line: its first, without "Error: " (the usage and help
/// lines that follow are `--help`'s business).
func oneLine(_ message: String) -> String {
    var first = message.split(separator: "\n").first.map(String.init) ?? message
    if first.hasPrefix("Error: ") { first.removeFirst(7) }
    return first
}

/// An error the user can act on: one line, and the exit code it stands for.
struct Failure: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
    init(_ description: String, _ status: ExitStatus) {
        self.description = description
        self.status = status
    }
}

/// Colours only on a terminal, and never with NO_COLOR set (https://no-color.org).
var useColor: Bool {
    isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
}

struct PostPatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postpatch",
        abstract: "Post-patch verification: capture hosts over SSH, diff against a baseline, gate CI on regressions.",
        discussion: """
        Exit codes: 0 ok / no regression; 1 a command failed or a regression was found; \
        2 usage or config error; 3 a host could not be reached, authenticated or checked; \
        4 a local file could not be read or written; 130 interrupted.
        """,
        version: BuildVersion.string,
        subcommands: [ExecCommand.self, SnapshotCommand.self, ScriptCommand.self, BaselineCommand.self,
                      VerifyCommand.self, DiffCommand.self, ShowCommand.self, DriftCommand.self, RolloutCommand.self,
                      AssessCommand.self, RollbackCommand.self, MergeCommand.self])
}
