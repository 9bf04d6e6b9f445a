import Foundation
import XCTest

/// The one answer to "this machine lacks what the test needs" (a tool, a server, root, a
/// fixture outside the repository): locally the test is skipped with the reason, under CI=true
/// it fails, because CI must not go green by skipping. Every test that cannot run says so here;
/// none returns early in silence.
public enum LabSkip {
    /// CI=true in the environment (scripts/test under .ci/run sets it).
    public static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true"
    }

    /// `XCTSkip` locally, `LabError` under CI=true; both read "<what>: <fix>".
    public static func missing(_ what: String, fix: String) -> Error {
        let message = "\(what): \(fix)"
        if isCI { return LabError(message + " (CI=true, so this fails instead of skipping)") }
        return XCTSkip(message)
    }

    /// Throws `missing(what, fix:)` unless `condition` holds.
    public static func unless(_ condition: Bool, _ what: @autoclosure () -> String, fix: @autoclosure () -> String) throws {
        if !condition { throw missing(what(), fix: fix()) }
    }

    /// Throws unless `path` is executable, naming the Debian package that provides it.
    public static func require(_ path: String, package: String) throws {
        try unless(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing",
                   fix: "install it with `apt-get install -y \(package)`")
    }

    /// The full path of `tool` (see `LabProcess.path(of:)`), or the skip/failure naming its package.
    public static func tool(_ tool: String, package: String) throws -> String {
        guard let path = LabProcess.path(of: tool) else {
            throw missing("\(tool) is not installed", fix: "install it with `apt-get install -y \(package)`")
        }
        return path
    }

    /// The one skip that holds under CI=true too: a test that only runs when someone asks for it
    /// (`POSTPATCH_BENCH=1` for the benchmark, `REPORT_SAMPLES_DIR` for the sample reports), so
    /// it is not missing anything when not asked. Only those opt-in tests call this.
    public static func optIn(_ variable: String, _ why: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw XCTSkip("opt-in: set \(variable) \(why)")
        }
        return value
    }

    /// Throws unless this process runs as root.
    public static func requireRoot(_ why: String) throws {
        try unless(geteuid() == 0, "\(why) needs root", fix: "run the tests as root (scripts/test does)")
    }
}
