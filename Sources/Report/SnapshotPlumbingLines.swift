import Model

/// `postpatch show` cells for the sections a reboot can break (mounts, network, modules, firewall,
/// containers, logs): counts first, then the few items worth naming, each clipped.
enum SnapshotPlumbingLines {
    /// "12: 1 read-only; fullest /boot 93 %"
    static func mounts(_ mounts: [Mount]) -> TextColumns.Cell {
        var parts: [String] = []
        let readOnly = mounts.filter(\.readOnly).count
        if readOnly > 0 { parts.append("\(readOnly) read-only") }
        if let fullest = mounts.filter({ $0.usedPercent != nil }).max(by: { ($0.usedPercent ?? 0) < ($1.usedPercent ?? 0) }),
           let used = fullest.usedPercent {
            parts.append("fullest \(VisibleText.clipped(fullest.mountPoint, 40)) \(used) %")
        }
        let full = mounts.contains { ($0.usedPercent ?? 0) >= 90 }
        return .init("\(mounts.count)" + (parts.isEmpty ? "" : ": " + parts.joined(separator: "; ")), full ? .yellow : nil)
    }

    /// "3 interfaces (2 up), 5 addresses; 7 routes, default via 10.0.0.1 eth0"
    static func network(interfaces: [NetworkInterface], routes: [Route]) -> TextColumns.Cell {
        let up = interfaces.filter { $0.state == .up }.count
        let addresses = interfaces.reduce(0) { $0 + $1.addresses.count }
        var text = Wording.count(interfaces.count, "interface") + " (\(up) up), " + Wording.count(addresses, "address", "addresses")
        text += "; " + Wording.count(routes.count, "route")
        let defaults = routes.filter(\.isDefault)
        if defaults.isEmpty {
            text += ", no default route"
        } else {
            text += ", default " + defaults.prefix(2).map { VisibleText.clipped($0.path, 48) }.joined(separator: ", ")
        }
        return .init(text)
    }

    /// "42 loaded (2 tainting)"
    static func modules(_ modules: [KernelModule]) -> TextColumns.Cell {
        let tainting = modules.filter { !$0.taints.isEmpty }.count
        return .init("\(modules.count) loaded" + (tainting > 0 ? " (\(tainting) tainting)" : ""))
    }

    /// "nftables: 14 rules in 6 chains" or "no rules".
    static func firewall(_ ruleset: FirewallRuleset) -> TextColumns.Cell {
        let chains = ruleset.chains.filter(\.isChain).count
        let backends = ruleset.backends.isEmpty ? "" : ruleset.backends.map { VisibleText.clipped($0, 24) }.joined(separator: ", ") + ": "
        if ruleset.ruleCount == 0 && chains == 0 { return .init(backends + "no rules") }
        return .init(backends + Wording.count(ruleset.ruleCount, "rule") + " in " + Wording.count(chains, "chain"))
    }

    /// "3: 2 running, 1 exited" or "none".
    static func containers(_ containers: [Container]) -> TextColumns.Cell {
        guard !containers.isEmpty else { return .init("none") }
        var byState: [String: Int] = [:]
        for c in containers { byState[c.state, default: 0] += 1 }
        let states = byState.keys.sorted { ($0 == "running" ? "" : $0) < ($1 == "running" ? "" : $1) }
        return .init("\(containers.count): " + states.map { "\(byState[$0] ?? 0) \(VisibleText.clipped($0, 16))" }.joined(separator: ", "))
    }

    /// "2 units with errors this boot (ssh.service, nginx.service); 1 core dump"
    static func logs(errors: [UnitLogErrors], dumps: [CrashDump]) -> TextColumns.Cell {
        var text = errors.isEmpty ? "no unit logged errors this boot"
            : Wording.count(errors.count, "unit") + " with errors this boot ("
                + errors.prefix(3).map { VisibleText.clipped($0.unit, 40) }.joined(separator: ", ") + (errors.count > 3 ? ", …)" : ")")
        text += "; " + Wording.count(dumps.count, "core dump")
        return .init(text, dumps.isEmpty ? nil : .yellow)
    }

    /// "since 2026-12-07 10:00:00: 2 runs, 38 package changes, 1 failed, 12 CVEs fixed"; nil when not read (no baseline).
    static func transactions(_ t: PackageTransactions?) -> TextColumns.Cell? {
        guard let t else { return nil }
        let failed = t.runs.filter { $0.error != nil }.count
        var text = "since \(VisibleText.clipped(t.since, 20)): " + Wording.count(t.runs.count, "run") + ", "
            + Wording.count(t.changes.count, "package change")
        if failed > 0 { text += ", \(failed) failed" }
        if let fixes = t.fixes, case let cves = Set(fixes.flatMap(\.cves)).count, cves > 0 { text += ", " + Wording.count(cves, "CVE") + " fixed" }
        return .init(text, failed > 0 ? .yellow : nil)
    }
}
