import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// One built Debian package: where the .deb is, and the name and version dpkg will record.
public struct LabDeb: Sendable, Equatable, CustomStringConvertible {
    public let url: URL
    public let package: String
    public let version: String

    public init(url: URL, package: String, version: String) {
        self.url = url
        self.package = package
        self.version = version
    }

    public var description: String { "\(package) \(version)" }
}

/// Builds real .deb files with `dpkg-deb --root-owner-group --build` from a control stanza,
/// files and maintainer scripts: the one place lab tests make packages (LabPackages,
/// LabOutdatedKit). Files are written with the modes given; folders are 0755.
public enum LabDebBuilder {
    /// A file the package ships, at an absolute path such as /usr/sbin/pp-greetd.
    public struct File: Sendable {
        public let path: String
        public let contents: Data
        public let mode: Int

        public init(_ path: String, _ contents: Data, mode: Int = 0o644) {
            self.path = path
            self.contents = contents
            self.mode = mode
        }

        public init(_ path: String, text: String, mode: Int = 0o644) {
            self.init(path, Data(text.utf8), mode: mode)
        }
    }

    /// The control stanza for `package`; `extra` adds fields such as "Depends" in the order given.
    public static func control(package: String, version: String, architecture: String,
                               extra: KeyValuePairs<String, String> = [:], summary: String) -> String {
        var lines = ["Package: \(package)", "Version: \(version)", "Architecture: \(architecture)",
                     "Maintainer: PostPatch lab <lab@postpatch.invalid>", "Section: misc", "Priority: optional"]
        lines += extra.map { "\($0.key): \($0.value)" }
        lines += ["Description: \(summary)", " Built by PostPatch's tests as a fixture; safe to purge."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Builds `directory/<package>_<version>_<arch>.deb` unless it already exists (built debs are
    /// reused across calls). `scripts` maps maintainer script names (postinst, prerm, ...) to
    /// their text, `meta` other DEBIAN/ files (triggers, shlibs).
    @discardableResult
    public static func build(package: String, version: String, architecture: String, control: String,
                             files: [File], scripts: [String: String] = [:], meta: [String: String] = [:],
                             in directory: URL) async throws -> LabDeb {
        let deb = directory.appendingPathComponent("\(package)_\(version)_\(architecture).deb")
        let built = LabDeb(url: deb, package: package, version: version)
        if FileManager.default.fileExists(atPath: deb.path) { return built }
        let root = directory.appendingPathComponent("\(package)-\(version)-root-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: root) }
        var entries = files + [File("/DEBIAN/control", text: control)]
        entries += scripts.map { File("/DEBIAN/\($0.key)", text: $0.value, mode: 0o755) }
        entries += meta.map { File("/DEBIAN/\($0.key)", text: $0.value) }
        for entry in entries { try write(entry, under: root) }
        // Built beside the final name and renamed, so a concurrent build never sees half a .deb.
        let partial = directory.appendingPathComponent(".\(deb.lastPathComponent).\(UUID().uuidString.prefix(6))")
        let result = try await LabProcess.run("/usr/bin/dpkg-deb", ["--root-owner-group", "--build", root.path, partial.path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw LabError("dpkg-deb could not build \(package) \(version) (status \(result.status)): \(result.output)")
        }
        guard rename(partial.path, deb.path) == 0 else {
            throw LabError("cannot rename \(partial.path) to \(deb.path): \(String(cString: strerror(errno)))")
        }
        return built
    }

    private static func write(_ file: File, under root: URL) throws {
        let target = root.appendingPathComponent(String(file.path.drop { $0 == "/" }))
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try file.contents.write(to: target)
        try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: target.path)
    }
}
