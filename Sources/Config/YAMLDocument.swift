import Yams

/// Turns config text into a Yams node tree, keeping line and column on every node,
/// and turns libyaml's errors into `file:line:col:` errors.
enum YAMLDocument {
    /// The root node; throws for syntax errors and for a file with no content at all.
    static func compose(_ yaml: String, file: String) throws -> Node {
        let root: Node?
        try YAMLDepth.check(yaml, file: file)
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, yaml: yaml, file: file)
        }
        guard let root, !isNull(root) else {
            throw ConfigError(file: file, at: .start,
                              "the config file is empty; start from the commented example in checks/postpatch.yaml "
                                  + "or docs/config.md")
        }
        return root
    }

    static func location(of node: Node) -> Location {
        guard let mark = node.mark else { return .start }
        return Location(line: mark.line, column: mark.column)
    }

    /// `~`, `null`, or nothing at all, written without quotes.
    static func isNull(_ node: Node) -> Bool {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    private static func syntaxError(_ error: YamlError, yaml: String, file: String) -> ConfigError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            if lineHasTab(yaml, line: mark.line) {
                message += "; YAML indentation must use spaces, not tabs"
            }
            return ConfigError(file: file, line: mark.line, column: mark.column, message: message)
        case let .reader(problem, offset, _, _):
            let where_ = offset.map { lineAndColumn(yaml, characterOffset: $0) } ?? .start
            return ConfigError(file: file, at: where_, "cannot read the file as UTF-8 text: \(problem)")
        default:
            return ConfigError(file: file, at: .start, "cannot parse the YAML: \(error)")
        }
    }

    private static func lineHasTab(_ yaml: String, line: Int) -> Bool {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return false }
        return lines[line - 1].contains("\t")
    }

    private static func lineAndColumn(_ yaml: String, characterOffset: Int) -> Location {
        var loc = Location.start
        for ch in yaml.prefix(characterOffset) {
            if ch == "\n" { loc.line += 1; loc.column = 1 } else { loc.column += 1 }
        }
        return loc
    }
}
