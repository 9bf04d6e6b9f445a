import Foundation

/// Runs a short helper command (ssh-keygen, ssh-add, ...) to completion. Test support only.
public enum Shell {
    public struct Result { public var status: Int32; public var stdout: String; public var stderr: String }

    @discardableResult
    public static func run(_ path: String, _ args: [String], env: [String: String]? = nil, input: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let env { p.environment = env }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let inPipe = Pipe()
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        if let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs through /bin/sh -c.
    @discardableResult
    public static func sh(_ script: String, env: [String: String]? = nil) throws -> Result {
        try run("/bin/sh", ["-c", script], env: env)
    }
}
