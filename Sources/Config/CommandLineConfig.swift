import Foundation

extension ConfigFile {
    /// The config a command should use. An explicit `--config` path must exist. Without one, the
    /// default path is read when present; when absent, hosts named on the command line run with
    /// no extra checks, and with no hosts named the error says what to do.
    public static func forCommandLine(configPath: String?, hostsGiven: Bool,
                                      defaultPath: String = ConfigFile.defaultPath) throws -> ConfigFile {
        if let configPath { return try load(path: configPath) }
        if FileManager.default.fileExists(atPath: defaultPath) { return try load(path: defaultPath) }
        if hostsGiven { return ConfigFile(emptyAt: defaultPath) }
        throw ConfigError(file: defaultPath, message: "no config file and no hosts given: name hosts on the "
                              + "command line ([user@]host[:port] or local), or create \(defaultPath) "
                              + "(see docs/config.md), or pass --config FILE")
    }
}
