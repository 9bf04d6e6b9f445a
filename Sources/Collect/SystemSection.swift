import Model

/// Kernel, OS, boot and reboot state: three small steps, all readable without root.
enum SystemSection {
    /// /proc/sys files are read with `cat`: some kernels answer the shell's byte-at-a-time
    /// `read` with one byte and then end-of-file (seen on 6.18 with ip_local_port_range).
    static let fragment: String =
        ScriptFraming.step("system.facts", """
        printf 'uname=%s\\n' "$(uname -n -r -m)"
        printf 'uid=%s\\n' "$(id -u)"
        if [ -r /proc/sys/kernel/random/boot_id ]; then printf 'boot_id=%s\\n' "$(cat /proc/sys/kernel/random/boot_id)"; fi
        if [ -r /proc/uptime ]; then read pp_u pp_x </proc/uptime; printf 'uptime=%s\\n' "$pp_u"; fi
        """)
        + ScriptFraming.step("system.os-release", """
        if [ -r /etc/os-release ]; then cat /etc/os-release
        elif [ -r /usr/lib/os-release ]; then cat /usr/lib/os-release
        else exit 1; fi
        """)
        + ScriptFraming.step("system.reboot", """
        printf 'running=%s\\n' "$(uname -r)"
        pp_b=$(grep '^btime ' /proc/stat 2>/dev/null); printf 'btime=%s\\n' "${pp_b#btime }"
        # PID 1's start, in clock ticks after btime: a container's own boot (its btime is the host's).
        if read -r pp_l </proc/1/stat 2>/dev/null; then set -- ${pp_l##*") "}; printf 'pid1start=%s\\n' "${20}"; fi
        printf 'hz=%s\\n' "$(getconf CLK_TCK 2>/dev/null)"
        if [ -e /var/run/reboot-required ]; then
            echo flag=present
            if [ -r /var/run/reboot-required.pkgs ]; then
                while IFS= read -r pp_l; do printf 'pkg=%s\\n' "$pp_l"; done </var/run/reboot-required.pkgs
            fi
        fi
        if [ -d /var/lib/dpkg/info ]; then
            echo manager=dpkg
            # dpkg rewrites a package's .list on every install or upgrade: its mtime is the install time.
            cd /var/lib/dpkg/info && stat -c 'dpkg=%Y %n' \(RebootRequiredParser.dpkgListGlobs) 2>/dev/null
        elif pp_has rpm; then
            echo manager=rpm
            if pp_has needs-restarting; then pp_to needs-restarting -r >/dev/null 2>&1; echo "needs-restarting=$?"; fi
            pp_to rpm -q --qf 'rpm=%{NAME} %{INSTALLTIME} %{VERSION}-%{RELEASE}.%{ARCH}\\n' \(RebootRequiredParser.rpmCore) 2>/dev/null
        elif pp_has apk; then
            echo manager=apk
            pp_to apk info -v 2>/dev/null | grep '^linux-' | sed 's/^/apk=/'
        fi
        true
        """)

    static func parse(_ output: ScriptOutput) -> (facts: SystemFacts, notes: [String]) {
        var facts = SystemFacts()
        var notes: [String] = []
        if let step = output.steps["system.facts"] {
            let kv = KeyValueLines.parse(step.stdout)
            let uname = (kv["uname"] ?? "").split(separator: " ").map(String.init)
            if uname.count == 3 {
                facts.hostname = uname[0]; facts.kernel = uname[1]; facts.arch = uname[2]
            } else {
                notes.append("system: uname printed '\(kv["uname"] ?? "")', expected node, release and machine")
            }
            facts.bootID = kv["boot_id"] ?? ""
            if let up = kv["uptime"], let seconds = Double(up) { facts.uptimeSeconds = Int(seconds) }
            if facts.bootID.isEmpty { notes.append("system: no /proc/sys/kernel/random/boot_id") }
        } else {
            notes.append("system: no output from the system step")
        }
        if let step = output.steps["system.os-release"] {
            if let problem = step.problem("system", "reading /etc/os-release") { notes.append(problem) }
            facts.os = OSReleaseParser.parse(step.stdout)
        }
        if let step = output.steps["system.reboot"] {
            let reboot = RebootRequiredParser.parse(step.stdout)
            facts.rebootRequired = reboot.required
            facts.rebootRequiredPackages = reboot.packages
            facts.rebootReasons = reboot.reasons
        }
        return (facts, notes)
    }

    /// The uid the script ran as, when it said.
    static func uid(_ output: ScriptOutput) -> Int? {
        output.steps["system.facts"].flatMap { KeyValueLines.parse($0.stdout)["uid"] }.flatMap { Int($0) }
    }
}

/// `key=value` lines as the script's own steps print them; the first occurrence of a key wins.
enum KeyValueLines {
    static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.lines() {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            if out[key] == nil { out[key] = String(line[line.index(after: eq)...]) }
        }
        return out
    }

    /// Every value of a repeated key, in order.
    static func all(_ key: String, in text: String) -> [String] {
        let prefix = key + "="
        return text.lines().filter { $0.hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)) }
    }
}
