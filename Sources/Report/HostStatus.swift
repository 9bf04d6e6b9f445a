import Model

/// The one-word state of a host or of one category on a host, shared by every format so the
/// terminal, Markdown and HTML reports never disagree about what "ok" means.
enum HostStatus: String, Comparable {
    /// Nothing checked in this category (HTML matrix only).
    case none
    /// Checked, nothing or only info found.
    case ok
    case info
    case warning
    case regression
    /// The host could not be checked at all.
    case unchecked

    private var rank: Int {
        switch self {
        case .none: 0
        case .ok: 1
        case .info: 2
        case .warning: 3
        case .regression: 4
        case .unchecked: 5
        }
    }

    static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    init(worst: Severity?) {
        switch worst {
        case nil: self = .ok
        case .info?: self = .info
        case .warning?: self = .warning
        case .regression?: self = .regression
        }
    }

    /// A host's status: info findings alone leave a host "ok" (they are expected changes).
    init(_ host: HostVerdict) {
        if host.error != nil {
            self = .unchecked
        } else {
            let s = HostStatus(worst: host.worst)
            self = s == .info ? .ok : s
        }
    }

    var label: String {
        switch self {
        case .none: "–"
        case .ok: "ok"
        case .info: "info"
        case .warning: "warning"
        case .regression: "regression"
        case .unchecked: "not checked"
        }
    }
}

extension HostVerdict {
    /// Findings of one severity, in item order (category order, then as the comparer listed them).
    func findings(_ severity: Severity) -> [Finding] {
        sortedItems.flatMap { $0.findings.filter { $0.severity == severity } }
    }

    /// Items ordered by category, keeping the comparer's order inside a category.
    var sortedItems: [CheckedItem] {
        items.enumerated().sorted { a, b in
            a.element.category != b.element.category ? a.element.category < b.element.category : a.offset < b.offset
        }.map(\.element)
    }

    /// The worst state of one category, or `.none` when nothing in it was checked.
    func status(of category: Category) -> HostStatus {
        if error != nil { return .unchecked }
        let inCategory = items.filter { $0.category == category }
        if inCategory.isEmpty { return .none }
        return HostStatus(worst: inCategory.compactMap(\.worst).max())
    }
}

extension VerifyRun {
    /// Categories with at least one checked item on some host, in the model's order.
    var checkedCategories: [Category] {
        let used = Set(hosts.flatMap { $0.items.map(\.category) })
        return Category.allCases.filter { used.contains($0) }
    }
}
