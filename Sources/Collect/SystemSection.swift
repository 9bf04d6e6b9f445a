import Model

/// Kernel, OS, boot and reboot state: three small steps, all readable without root.
enum SystemSection {
    // The steps of the section (`system.<tool>` in the script and its output).
    static let factsStep = Step(.system, "facts")
    static let osReleaseStep = Step(.system, "os-release")
    static let rebootStep = Step(.system, "reboot")

    /// Builtins where they can do: every command the script starts costs the host an exec (about
    /// 1.5 ms of CPU each on the lab host), the bulk of a capture's cost. /proc/sys files that
    /// answer a byte-at-a-time `read` with one byte and then end-of-file (proc_dointvec ones,
    /// seen on 6.18 with ip_local_port_range) are read with `cat`; boot_id (a string sysctl)
    /// reads whole, and is read again with `cat` if it ever comes back short.
    static let fragment: String =
        ScriptFraming.step(factsStep, """
        # uname's three fields from /proc/sys/kernel (string sysctls, read whole) where the kernel
        # has kernel.arch (recent kernels), else uname itself.
        pp_hostname=; pp_release=; pp_arch=
        { read -r pp_hostname </proc/sys/kernel/hostname && read -r pp_release </proc/sys/kernel/osrelease && read -r pp_arch </proc/sys/kernel/arch; } 2>/dev/null
        if [ -n "$pp_hostname" ] && [ -n "$pp_release" ] && [ -n "$pp_arch" ]; then printf 'uname=%s %s %s\\n' "$pp_hostname" "$pp_release" "$pp_arch"
        else printf 'uname=%s\\n' "$(uname -n -r -m)"; fi
        printf 'uid=%s\\n' "$PP_UID"
        if [ -r /proc/sys/kernel/random/boot_id ]; then
            read -r pp_boot_id </proc/sys/kernel/random/boot_id
            [ ${#pp_boot_id} -eq 36 ] || pp_boot_id=$(cat /proc/sys/kernel/random/boot_id)
            printf 'boot_id=%s\\n' "$pp_boot_id"
        fi
        if [ -r /proc/uptime ]; then read -r pp_uptime _ </proc/uptime; printf 'uptime=%s\\n' "$pp_uptime"; fi
        """)
        + ScriptFraming.step(osReleaseStep, """
        if [ -r /etc/os-release ]; then pp_os_release=/etc/os-release
        elif [ -r /usr/lib/os-release ]; then pp_os_release=/usr/lib/os-release
        else exit 1; fi
        while IFS= read -r pp_line || [ -n "$pp_line" ]; do printf '%s\\n' "$pp_line"; done <"$pp_os_release"
        """)
        + ScriptFraming.step(rebootStep, """
        # The running kernel is the facts step's; clock ticks are USER_HZ (the parser knows it by arch).
        awk '/^btime / { v = $2; exit } END { print "btime=" v }' /proc/stat 2>/dev/null || echo btime=
        # PID 1's start, in clock ticks after btime: a container's own boot (its btime is the host's).
        # shellcheck disable=SC2086 # split on purpose: the fields of /proc/1/stat after the command name
        if read -r pp_pid1_stat </proc/1/stat 2>/dev/null; then set -- ${pp_pid1_stat##*") "}; printf 'pid1start=%s\\n' "${20}"; fi
        if [ -r /run/systemd/container ]; then read -r pp_container </run/systemd/container; printf 'container=%s\\n' "$pp_container"
        elif [ -e /run/.containerenv ]; then echo container=podman
        elif [ -e /.dockerenv ]; then echo container=docker; fi
        if [ -e /var/run/reboot-required ]; then
            echo flag=present
            if [ -r /var/run/reboot-required.pkgs ]; then
                while IFS= read -r pp_package; do printf 'pkg=%s\\n' "$pp_package"; done </var/run/reboot-required.pkgs
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
        if let step = output[step: factsStep] {
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
        if let step = output[step: osReleaseStep] {
            if let problem = step.problem("system", "reading /etc/os-release") { notes.append(problem) }
            facts.os = OSReleaseParser.parse(step.stdout)
        }
        if let step = output[step: rebootStep] {
            let reboot = RebootRequiredParser.parse(step.stdout, running: facts.kernel, arch: facts.arch)
            facts.rebootRequired = reboot.required
            facts.rebootRequiredPackages = reboot.packages
            facts.rebootReasons = reboot.reasons
            notes += reboot.notes
        }
        return (facts, notes)
    }

    /// The uid the script ran as, when it said.
    static func uid(_ output: ScriptOutput) -> Int? {
        output[step: factsStep].flatMap { KeyValueLines.parse($0.stdout)["uid"] }.flatMap { Int($0) }
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

extension SystemSection {
    /// The section's entry in the registry (``SectionCollector``).
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [factsStep], tools: "uname", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.system = parsed.facts
            return .init(notes: parsed.notes)
        }, fuzzTargets: ["OSRelease", "RebootRequired"])
}
