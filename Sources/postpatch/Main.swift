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
            var arguments = Array(CommandLine.arguments.dropFirst())
            // `exec HOST... -- COMMAND`: ArgumentParser cannot put a list after a list, so the
            // words after the first `--` are taken off here, before parsing.
            if arguments.first == "exec", let dash = arguments.firstIndex(of: "--") {
                ExecCommand.remoteCommand = Array(arguments[(dash + 1)...])
                arguments = Array(arguments[..<dash])
            }
            var command = try PostPatch.parseAsRoot(arguments)
            if var c = command as? AsyncParsableCommand {
                try await c.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as Failure {
            printError(failure.description)
            Foundation.exit(failure.status.rawValue)
        } catch {
            let code = PostPatch.exitCode(for: error)
            if code == .success {
                print(PostPatch.fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(PostPatch.fullMessage(for: error))
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
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

func printError(_ text: String) {
    FileHandle.standardError.write(Data(("postpatch: " + text + "\n").utf8))
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
        subcommands: [ExecCommand.self, SnapshotCommand.self, ScriptCommand.self, BaselineCommand.self,
                      VerifyCommand.self, DiffCommand.self, ShowCommand.self, DriftCommand.self, RolloutCommand.self])
}
