import Foundation
import TestSupport

/// The Debian package `scripts/package` builds, for the tests that install it: the file named by
/// POSTPATCH_DEB (scripts/test builds it once and passes it on), or else `scripts/package --reuse`,
/// which builds HEAD's package only when dist/ does not hold it yet (minutes: a release build).
public struct PackageDeb: Sendable {
    public let url: URL
    /// Its control fields, as `dpkg-deb --field` prints them.
    public let version: String
    public let depends: String

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: PackageDeb?

    /// scripts/package, found from this file's place in the package.
    static var script: URL { PostPatchCLI.packageRoot.appendingPathComponent("scripts/package") }

    /// The package, built at most once per test process. Missing root or dpkg-deb is a skip
    /// (a failure under CI=true); a package build that fails is a failure with its output's tail.
    public static func get() async throws -> PackageDeb {
        if let done = lock.withLock({ built }) { return done }
        try LabSkip.requireRoot("building and installing the Debian package")
        let dpkgDeb = try LabSkip.tool("dpkg-deb", package: "dpkg")
        let path: String
        if let given = ProcessInfo.processInfo.environment["POSTPATCH_DEB"], !given.isEmpty {
            try LabSkip.unless(FileManager.default.fileExists(atPath: given), "POSTPATCH_DEB=\(given) does not exist",
                               fix: "build it with scripts/package, or unset POSTPATCH_DEB to build it here")
            path = given
        } else {
            let started = ContinuousClock.now
            let result = try await LabProcess.run("/bin/bash", [script.path, "--reuse"], timeout: .seconds(3600))
            let (status, output) = (result.status, result.output)
            let lines = output.split(separator: "\n")
            guard status == 0, let last = lines.last(where: { $0.hasPrefix("/") && $0.hasSuffix(".deb") }) else {
                throw LabError("scripts/package failed (status \(status)): \(lines.suffix(12).joined(separator: "\n"))")
            }
            print("PackageDeb: \(last) ready in \(ContinuousClock.now - started)")
            path = String(last)
        }
        func field(_ name: String) throws -> String {
            let r = try LabProcess.runBlocking(dpkgDeb, ["--field", path, name])
            guard r.status == 0 else { throw LabError("dpkg-deb --field \(path) \(name): \(r.stderr)") }
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let deb = PackageDeb(url: URL(fileURLWithPath: path), version: try field("Version"), depends: try field("Depends"))
        lock.withLock { built = deb }
        return deb
    }

    /// The package names of Depends ("libc6 (>= 2.34), libssh2-1 (>= 1.7.0)" → libc6, libssh2-1),
    /// the first of each `a | b` choice.
    public var dependencyNames: [String] {
        depends.split(separator: ",").compactMap { clause in
            clause.split(separator: "|").first?.trimmingCharacters(in: .whitespaces)
                .split(separator: " ").first.map { String($0.split(separator: ":").first ?? $0) }
        }
    }
}
