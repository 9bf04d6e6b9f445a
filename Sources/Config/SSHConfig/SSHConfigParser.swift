/// Turns config text (and the files it includes) into entries plus `file:line:` warnings.
/// Never fails: a line it cannot use becomes a warning and is skipped.
struct SSHConfigParser {
    let home: String
    let readFile: (String) -> String?
    let listDirectory: (String) -> [String]?

    private(set) var warnings: [String] = []
    /// Some Match line asks for `final`: resolution reads the config twice (see SSHConfigResolver).
    private(set) var wantsFinalPass = false
    /// The first IgnoreUnknown list seen, wherever it is (ssh keeps it per host; see docs).
    private var ignoreUnknown: String?
    private var filesRead = 0
    private var budgetWarned = false
    private var seen: Set<String> = []

    /// ssh refuses includes nested deeper than 16 (READCONF_MAX_DEPTH).
    static let maxDepth = 16
    /// A bound on included files in total, so a file including itself through a glob cannot
    /// make parsing explode.
    static let maxIncludedFiles = 512

    init(home: String, readFile: @escaping (String) -> String?, listDirectory: @escaping (String) -> [String]?) {
        self.home = home
        self.readFile = readFile
        self.listDirectory = listDirectory
    }

    mutating func parse(_ text: String, path: String, depth: Int = 0) -> [SSHConfigEntry] {
        var entries: [SSHConfigEntry] = []
        let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, bytes) in lines.enumerated() {
            let at = SSHConfigLocation(file: path, line: index + 1)
            switch SSHConfigTokenizer.split(Array(bytes)) {
            case .blank:
                continue
            case let .problem(message):
                warn(at, message)
            case let .line(line):
                if let entry = entry(for: line, at: at, depth: depth) { entries.append(entry) }
            }
        }
        return entries
    }

    private mutating func entry(for line: SSHConfigLine, at: SSHConfigLocation, depth: Int) -> SSHConfigEntry? {
        guard let (name, kind) = SSHConfigKeywords.lookup(line.keyword) else {
            if let list = ignoreUnknown, SSHPattern.matchList(line.keyword, list, lowercase: true) == .positive {
                return .option(.notHonoured(line.spelled), at)
            }
            warn(at, "unknown keyword '\(line.spelled)' ignored (ssh itself would refuse this file)")
            return .option(.notHonoured(line.spelled), at)
        }
        switch kind {
        case .obsolete:
            return nil
        case .notHonoured:
            return .option(.notHonoured(name), at)
        case .structure:
            switch name {
            case "Host": return host(line.args, at: at)
            case "Match": return match(line.args, at: at)
            default: return include(line.args, at: at, depth: depth)
            }
        case .honoured, .tracked:
            if name == "IgnoreUnknown" {
                if ignoreUnknown == nil { ignoreUnknown = line.args.first }
                return nil
            }
            switch SSHConfigValues.option(name, line) {
            case let .success(option): return .option(option, at)
            case let .failure(problem):
                warn(at, problem.message + " (line ignored)")
                return nil
            }
        }
    }

    private mutating func host(_ args: [String], at: SSHConfigLocation) -> SSHConfigEntry {
        if args.isEmpty || args.contains("") {
            warn(at, "Host: empty pattern; this block applies to no host")
            return .host([])
        }
        return .host(args.map { arg in
            arg.hasPrefix("!") ? SSHHostPattern(pattern: String(arg.dropFirst()), negated: true)
                : SSHHostPattern(pattern: arg, negated: false)
        })
    }

    private mutating func match(_ args: [String], at: SSHConfigLocation) -> SSHConfigEntry {
        switch SSHMatchCondition.parse(args) {
        case let .success(condition):
            if condition.wantsFinalPass { wantsFinalPass = true }
            return .match(condition)
        case let .failure(problem):
            // ssh notes `final` before it reaches the criterion it cannot use.
            if args.contains(where: { $0.lowercased() == "final" || $0.lowercased() == "!final" }) {
                wantsFinalPass = true
            }
            warn(at, problem.message)
            return .match(nil)
        }
    }

    private mutating func include(_ args: [String], at: SSHConfigLocation, depth: Int) -> SSHConfigEntry {
        var files: [SSHIncludedFile] = []
        for arg in args {
            let pattern: String
            if arg.isEmpty {
                warn(at, "Include: empty argument")
                continue
            } else if arg.hasPrefix("~") {
                guard arg == "~" || arg.hasPrefix("~/") else {
                    warn(at, "Include \(arg): only '~/' is expanded; write the full path")
                    continue
                }
                pattern = SSHConfigExpansion.tilde(arg, home: home)
            } else if arg.hasPrefix("/") {
                pattern = arg
            } else {
                // ssh anchors relative includes of a user config in ~/.ssh (also for -F files).
                pattern = SSHConfigExpansion.tilde("~/.ssh/" + arg, home: home)
            }
            if depth + 1 > Self.maxDepth {
                warn(at, "Include \(arg): nested more than \(Self.maxDepth) deep (an include loop?); skipped")
                continue
            }
            let paths = SSHConfigGlob.expand(pattern, listDirectory: listDirectory)
            let literal = !SSHConfigGlob.hasMagic(pattern)
            if paths.isEmpty { warn(at, "Include \(arg) matched no files") }
            for path in paths {
                if filesRead >= Self.maxIncludedFiles {
                    if !budgetWarned { warn(at, "more than \(Self.maxIncludedFiles) included files; the rest skipped") }
                    budgetWarned = true
                    break
                }
                guard let text = readFile(path) else {
                    // glob(3) names only files that exist, so a literal path that cannot be read
                    // simply matched nothing; a globbed one that cannot be read is worth a word.
                    warn(at, literal ? "Include \(arg) matched no files" : "Include: cannot read \(path); skipped")
                    continue
                }
                filesRead += 1
                files.append(SSHIncludedFile(path: path, entries: parse(text, path: path, depth: depth + 1)))
            }
        }
        return .include(files)
    }

    /// Each distinct warning once: an include loop repeats the same line many times.
    private mutating func warn(_ at: SSHConfigLocation, _ message: String) {
        let text = "\(at): \(message)"
        if seen.insert(text).inserted { warnings.append(text) }
    }
}
