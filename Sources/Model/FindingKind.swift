/// Every kind of difference the differ reports, with its default severity and category.
/// The raw value is the stable machine name that `policy:` rules, JSON reports and
/// docs/findings.md use; never rename one. It lives in Model, beside `Finding`, so Config
/// can check `policy:` keys while reading the file and every command reads it the same way.
public enum FindingKind: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Equatable,
    CustomStringConvertible {
    // host
    case captureMissing = "capture-missing"
    case captureIncomplete = "capture-incomplete"
    case baselineIncomplete = "baseline-incomplete"
    // system
    case kernelChanged = "kernel-changed"
    case hostRebooted = "host-rebooted"
    case osChanged = "os-changed"
    case rebootRequired = "reboot-required"
    // services
    case serviceStopped = "service-stopped"
    case serviceFailed = "service-failed"
    case serviceMissing = "service-missing"
    case serviceNewlyFailed = "service-newly-failed"
    case serviceExited = "service-exited"
    case serviceSubstateChanged = "service-substate-changed"
    case serviceStarted = "service-started"
    case serviceStateChanged = "service-state-changed"
    case serviceAdded = "service-added"
    case serviceRemoved = "service-removed"
    case serviceDisabled = "service-disabled"
    case serviceEnablementChanged = "service-enablement-changed"
    // processes
    case serviceOutdated = "service-outdated"
    case managerOutdated = "manager-outdated"
    case serviceOutdatedCleared = "service-outdated-cleared"
    // sockets
    case socketClosed = "socket-closed"
    case socketOpened = "socket-opened"
    case socketFamilyChanged = "socket-family-changed"
    case socketProcessChanged = "socket-process-changed"
    // endpoints (learned)
    case endpointSilent = "endpoint-silent"
    case httpStatusChanged = "http-status-changed"
    case tlsHandshakeFailed = "tls-handshake-failed"
    case tlsProtocolChanged = "tls-protocol-changed"
    case tlsCipherChanged = "tls-cipher-changed"
    case tlsCertificateChanged = "tls-certificate-changed"
    case tlsCertificateExpiring = "tls-certificate-expiring"
    case bannerChanged = "banner-changed"
    case httpPageChanged = "http-page-changed"
    case httpBodyChanged = "http-body-changed"
    // mounts
    case mountMissing = "mount-missing"
    case mountReadonly = "mount-readonly"
    case mountSourceChanged = "mount-source-changed"
    case mountAdded = "mount-added"
    case spaceLow = "space-low"
    // network
    case interfaceDown = "interface-down"
    case addressLost = "address-lost"
    case defaultRouteLost = "default-route-lost"
    case routeChanged = "route-changed"
    case mtuChanged = "mtu-changed"
    case addressAdded = "address-added"
    // modules
    case moduleMissing = "module-missing"
    // firewall
    case firewallFlushed = "firewall-flushed"
    case firewallChanged = "firewall-changed"
    // containers
    case containerStopped = "container-stopped"
    case containerImageChanged = "container-image-changed"
    case containerRestarted = "container-restarted"
    // packages
    case packageUpgraded = "package-upgraded"
    case packageDowngraded = "package-downgraded"
    case packageInstalled = "package-installed"
    case packageRemoved = "package-removed"
    case packageBroken = "package-broken"
    case packageRepaired = "package-repaired"
    case patchSetMismatch = "patch-set-mismatch"
    // configs
    case configReplaced = "config-replaced"
    case configUnmerged = "config-unmerged"
    case configChanged = "config-changed"
    // sysctl
    case sysctlChanged = "sysctl-changed"
    // accounts
    case accountAdded = "account-added"
    case groupMembershipChanged = "group-membership-changed"
    case sudoersChanged = "sudoers-changed"
    case authorizedKeyAdded = "authorized-key-added"
    case authorizedKeyRemoved = "authorized-key-removed"
    case sshdSettingChanged = "sshd-setting-changed"
    // schedules
    case timerStopped = "timer-stopped"
    case timerDisabled = "timer-disabled"
    case timerMissing = "timer-missing"
    case cronJobRemoved = "cron-job-removed"
    case cronJobAdded = "cron-job-added"
    case cronJobChanged = "cron-job-changed"
    // updates
    case updateCleared = "update-cleared"
    case updateNew = "update-new"
    case securityFixOverdue = "security-fix-overdue"
    case rollbackUnavailable = "rollback-unavailable"
    // transactions
    case packageRunFailed = "package-run-failed"
    case fixesInstalled = "fixes-installed"
    case fixNotInEffect = "fix-not-in-effect"
    // logs
    case logErrorsNew = "log-errors-new"
    case crashDumpNew = "crash-dump-new"
    // connectivity
    case connectivityLost = "connectivity-lost"
    case connectivityRestored = "connectivity-restored"
    case connectivityNewUnreachable = "connectivity-new-unreachable"
    // dns
    case dnsUnresolvable = "dns-unresolvable"
    case dnsAnswersChanged = "dns-answers-changed"
    case dnsRestored = "dns-restored"
    case dnsNewUnresolvable = "dns-new-unresolvable"
    // databases
    case databaseDown = "database-down"
    case databaseRestored = "database-restored"
    case databaseVersionChanged = "database-version-changed"
    case databaseNewDown = "database-new-down"
    // http (declared)
    case httpCheckFailed = "http-check-failed"
    case httpCheckChanged = "http-check-changed"
    // commands (declared)
    case commandFailed = "command-failed"
    case commandOutputChanged = "command-output-changed"
    // files (declared)
    case fileChanged = "file-changed"
    case fileMissing = "file-missing"

    /// The machine name, so a kind reads the same in every message and report.
    public var description: String { rawValue }

    public var defaultSeverity: Severity {
        switch self {
        case .captureMissing, .serviceStopped, .serviceFailed, .serviceMissing, .socketClosed,
             .connectivityLost, .dnsUnresolvable, .databaseDown,
             .endpointSilent, .httpStatusChanged, .tlsHandshakeFailed, .httpCheckFailed, .commandFailed,
             .mountMissing, .mountReadonly, .interfaceDown, .addressLost, .defaultRouteLost, .firewallFlushed,
             .containerStopped, .packageBroken, .fileMissing, .patchSetMismatch:
            return .regression
        case .captureIncomplete, .serviceOutdated, .managerOutdated,
             .rebootRequired, .serviceNewlyFailed, .serviceExited, .serviceDisabled, .socketOpened,
             .packageDowngraded, .packageRemoved, .dnsAnswersChanged, .connectivityNewUnreachable,
             .dnsNewUnresolvable, .databaseNewDown,
             .tlsProtocolChanged, .tlsCipherChanged, .tlsCertificateExpiring, .httpCheckChanged, .commandOutputChanged,
             .mountSourceChanged, .spaceLow, .routeChanged, .mtuChanged, .moduleMissing, .firewallChanged,
             .logErrorsNew, .crashDumpNew, .packageRunFailed, .configReplaced, .configUnmerged, .fileChanged, .fixNotInEffect,
             .securityFixOverdue, .timerStopped, .timerDisabled, .timerMissing, .cronJobRemoved, .sysctlChanged,
             .groupMembershipChanged, .sudoersChanged, .authorizedKeyAdded, .authorizedKeyRemoved, .sshdSettingChanged,
             .httpPageChanged,
             .rollbackUnavailable:
            return .warning
        case .baselineIncomplete, .serviceOutdatedCleared,
             .kernelChanged, .hostRebooted, .osChanged, .serviceSubstateChanged, .serviceStarted,
             .serviceStateChanged, .serviceAdded, .serviceRemoved, .serviceEnablementChanged,
             .socketFamilyChanged, .socketProcessChanged, .packageUpgraded, .packageInstalled,
             .updateCleared, .updateNew, .connectivityRestored, .dnsRestored, .databaseRestored,
             .databaseVersionChanged, .tlsCertificateChanged, .bannerChanged,
             .mountAdded, .addressAdded, .containerImageChanged, .containerRestarted, .packageRepaired, .configChanged, .fixesInstalled,
             .cronJobAdded, .cronJobChanged, .accountAdded, .httpBodyChanged:
            return .info
        }
    }

    /// The section the kind is about, nil for the capture as a whole (host).
    public var section: SnapshotSection? {
        switch self {
        case .captureMissing, .captureIncomplete, .baselineIncomplete: return nil
        case .serviceOutdated, .managerOutdated, .serviceOutdatedCleared: return .outdated
        case .kernelChanged, .hostRebooted, .osChanged, .rebootRequired: return .system
        case .serviceStopped, .serviceFailed, .serviceMissing, .serviceNewlyFailed, .serviceExited,
             .serviceSubstateChanged, .serviceStarted, .serviceStateChanged, .serviceAdded, .serviceRemoved,
             .serviceDisabled, .serviceEnablementChanged:
            return .services
        case .socketClosed, .socketOpened, .socketFamilyChanged, .socketProcessChanged: return .sockets
        case .packageUpgraded, .packageDowngraded, .packageInstalled, .packageRemoved, .packageBroken,
             .packageRepaired, .patchSetMismatch:
            return .packages
        case .updateCleared, .updateNew, .securityFixOverdue, .rollbackUnavailable: return .updates
        case .timerStopped, .timerDisabled, .timerMissing, .cronJobRemoved, .cronJobAdded, .cronJobChanged: return .schedules
        case .sysctlChanged: return .sysctl
        case .accountAdded, .groupMembershipChanged, .sudoersChanged, .authorizedKeyAdded, .authorizedKeyRemoved, .sshdSettingChanged:
            return .accounts
        case .connectivityLost, .connectivityRestored, .connectivityNewUnreachable: return .connectivity
        case .dnsUnresolvable, .dnsAnswersChanged, .dnsRestored, .dnsNewUnresolvable: return .dns
        case .databaseDown, .databaseRestored, .databaseVersionChanged, .databaseNewDown: return .databases
        case .endpointSilent, .httpStatusChanged, .tlsHandshakeFailed, .tlsProtocolChanged, .tlsCipherChanged,
             .tlsCertificateChanged, .tlsCertificateExpiring, .bannerChanged, .httpPageChanged, .httpBodyChanged:
            return .endpoints
        case .httpCheckFailed, .httpCheckChanged: return .http
        case .mountMissing, .mountReadonly, .mountSourceChanged, .mountAdded, .spaceLow: return .mounts
        case .interfaceDown, .addressLost, .defaultRouteLost, .routeChanged, .mtuChanged, .addressAdded: return .network
        case .moduleMissing: return .modules
        case .firewallFlushed, .firewallChanged: return .firewall
        case .containerStopped, .containerImageChanged, .containerRestarted: return .containers
        case .logErrorsNew, .crashDumpNew: return .logs
        case .packageRunFailed, .fixesInstalled, .fixNotInEffect: return .transactions
        case .commandFailed, .commandOutputChanged: return .commands
        case .configReplaced, .configUnmerged, .configChanged: return .configs
        case .fileChanged, .fileMissing: return .files
        }
    }

    public var category: Category { section.map(Category.section) ?? .host }

    /// Regressions of these kinds can clear by themselves shortly after a patch or reboot
    /// (a unit still starting, a port not yet bound or not yet answering, a proxy whose backend
    /// or a TLS server that is still starting, a peer not yet answering), so the engine
    /// may capture again. A failed or vanished unit, or a removed package, will not.
    public var mightSettle: Bool {
        switch self {
        case .serviceStopped, .socketClosed, .connectivityLost, .dnsUnresolvable, .databaseDown,
             .endpointSilent, .httpStatusChanged, .tlsHandshakeFailed:
            return true
        // A container its engine is still starting after a reboot (restart policy, podman-restart).
        case .containerStopped: return true
        default: return false
        }
    }

    /// One line for docs/findings.md and `--help`-style listings.
    public var summary: String {
        switch self {
        case .captureMissing: return "a whole section (services, sockets or packages) was captured in the baseline but is empty now"
        case .captureIncomplete: return "a section could not be captured now (its step timed out, was killed or has no tool): it is not compared"
        case .baselineIncomplete: return "a section the baseline could not capture (a failed step): it is not compared until a new baseline"
        case .serviceOutdated: return "a service runs code (a library or its binary) that was replaced or deleted since it started: restart it"
        case .managerOutdated: return "the service manager (PID 1) runs replaced code: systemctl daemon-reexec, or reboot"
        case .serviceOutdatedCleared: return "a service that ran replaced code in the baseline no longer does (restarted)"
        case .kernelChanged: return "the running kernel (uname -r) differs"
        case .hostRebooted: return "the boot id changed: the host rebooted since the baseline"
        case .osChanged: return "/etc/os-release id, version or name differs"
        case .rebootRequired: return "the host still asks for a reboot after patching (patched but not rebooted)"
        case .serviceStopped: return "a unit active in the baseline is now inactive, activating, deactivating or reloading"
        case .serviceFailed: return "a unit active in the baseline is now failed"
        case .serviceMissing: return "a unit active in the baseline is no longer listed at all"
        case .serviceNewlyFailed: return "a unit that was not active in the baseline (or absent) is now failed"
        case .serviceExited: return "a unit still active, but its sub-state went running -> exited (its main process is gone)"
        case .serviceSubstateChanged: return "a unit still active with any other sub-state change (e.g. exited -> running)"
        case .serviceStarted: return "a unit inactive or failed in the baseline is now active"
        case .serviceStateChanged: return "a unit neither active before nor after changed state (e.g. failed -> inactive)"
        case .serviceAdded: return "a unit absent from the baseline is listed now (and not failed)"
        case .serviceRemoved: return "a unit not active in the baseline is no longer listed"
        case .serviceDisabled: return "a unit enabled in the baseline is now disabled or masked: it will not start at next boot"
        case .serviceEnablementChanged: return "any other change of the unit-file state (e.g. disabled -> enabled, static -> indirect)"
        case .socketClosed: return "a listening TCP or bound UDP socket of the baseline is gone"
        case .socketOpened: return "a listening TCP or bound UDP socket that the baseline did not have"
        case .socketFamilyChanged: return "a 0.0.0.0 socket was replaced by a [::] one on the same port (tcp -> tcp6, udp -> udp6)"
        case .socketProcessChanged: return "the same endpoint is now held by a differently named process"
        case .packageUpgraded: return "an installed package has a higher version"
        case .packageDowngraded: return "an installed package has a lower version"
        case .packageInstalled: return "a package absent from the baseline is installed"
        case .packageRemoved: return "a package of the baseline is no longer installed"
        case .packageBroken: return "a package is not fully installed (dpkg unpacked, half-configured, …; rpm duplicates): an interrupted upgrade"
        case .packageRepaired: return "a package not fully installed in the baseline is fully installed now, in the same version"
        case .patchSetMismatch: return "rollout --pin: a package of the pinned patch set is not installed in the set's version"
        case .updateCleared: return "an update pending in the baseline is no longer pending (the patch applied it)"
        case .updateNew: return "an update is pending that the baseline did not list (or with a new candidate version)"
        case .httpPageChanged: return "the same status, another page: the HTML title, the content type or the Server product changed"
        case .httpBodyChanged: return "a page whose body held between two baselines answers another body"
        case .accountAdded: return "a local account the baseline did not have (info for a system account; a warning for one that can log in with a password)"
        case .groupMembershipChanged: return "a privileged group (sudo, wheel, adm, root) gained or lost a member"
        case .sudoersChanged: return "a sudoers file changed, appeared or went away"
        case .authorizedKeyAdded: return "a user's authorized_keys holds a key the baseline did not"
        case .authorizedKeyRemoved: return "a key of a user's authorized_keys is gone"
        case .sshdSettingChanged: return "sshd's effective login setting changed (PermitRootLogin, PasswordAuthentication, ...)"
        case .sysctlChanged: return "a kernel setting's value changed (often: set at runtime, never persisted, and reset by the reboot)"
        case .timerStopped: return "a timer active in the baseline is not now: the work it schedules no longer runs"
        case .timerDisabled: return "a timer enabled in the baseline is disabled or masked now: it will not start at the next boot"
        case .timerMissing: return "a timer of the baseline has no unit file any more"
        case .cronJobRemoved: return "a cron job of the baseline is gone (its line, its cron.d file or its run-parts script)"
        case .cronJobAdded: return "a cron job the baseline did not have"
        case .cronJobChanged: return "a cron job's schedule, user or command changed (the command compared by digest)"
        case .securityFixOverdue: return "a security fix has been missing for longer than rules: max_security_age_days allows"
        case .rollbackUnavailable: return "a pending update (before the patch) or an applied one (at verify) cannot be rolled back: the installed version is obtainable from no repository and not in the package cache, or the manager does not downgrade the package safely (glibc on RPM)"
        case .connectivityLost: return "a connectivity target reachable in the baseline is unreachable now"
        case .connectivityRestored: return "a connectivity target unreachable in the baseline is reachable now"
        case .connectivityNewUnreachable: return "a connectivity target with no baseline result is unreachable"
        case .dnsUnresolvable: return "a name that resolved in the baseline does not resolve now"
        case .dnsAnswersChanged: return "a name resolves both times, to a different set of answers"
        case .dnsRestored: return "a name that failed in the baseline resolves now"
        case .dnsNewUnresolvable: return "a name with no baseline result does not resolve"
        case .databaseDown: return "a database up in the baseline is down or failing its handshake now"
        case .databaseRestored: return "a database down in the baseline is up now"
        case .databaseVersionChanged: return "a database answers with a different server version"
        case .databaseNewDown: return "a database with no baseline result is down"
        case .endpointSilent: return "a listening port that answered in the baseline (banner, handshake, TLS or HTTP) gives no answer now"
        case .httpStatusChanged: return "a port's answer to GET / changed status; a regression when 2xx/3xx became 4xx/5xx or no answer, else a warning"
        case .tlsHandshakeFailed: return "a port that completed a TLS handshake in the baseline fails it now (the alert is named)"
        case .tlsProtocolChanged: return "a TLS port negotiates another protocol version (e.g. TLSv1.2 -> TLSv1.3)"
        case .tlsCipherChanged: return "a TLS port negotiates another cipher suite under the same protocol version"
        case .tlsCertificateChanged: return "a TLS port presents another leaf certificate (SHA-256 fingerprint differs)"
        case .tlsCertificateExpiring: return "a TLS port's certificate expires within expiry_warning_days (default 14), or has expired"
        case .bannerChanged: return "a server-first port greets as another protocol or product (versions are volatile unless asked)"
        case .httpCheckFailed: return "a declared HTTP check fails its expectation (status, contains, TLS verification, no answer); also in a baseline run"
        case .httpCheckChanged: return "a declared HTTP check still passes, but its status or redirect differs from the baseline"
        case .commandFailed: return "a declared command failed its expectation, or exited 0 in the baseline and now exits non-zero or times out"
        case .mountMissing: return "a mount of the baseline is not mounted now (an NFS or data mount that did not come back)"
        case .mountReadonly: return "a mount read-write in the baseline is read-only now"
        case .mountSourceChanged: return "a mount point is mounted from another source (device, export) or filesystem type"
        case .mountAdded: return "a mount point absent from the baseline is mounted now"
        case .spaceLow: return "a mount's use crossed space_warning_percent (default 90) since the baseline"
        case .interfaceDown: return "a network interface up in the baseline is down or gone"
        case .addressLost: return "an address of the baseline is no longer on its interface"
        case .defaultRouteLost: return "a default route of the baseline is gone"
        case .routeChanged: return "a route of the baseline is gone or goes another way (gateway, device)"
        case .mtuChanged: return "an interface's MTU differs"
        case .addressAdded: return "an interface carries an address absent from the baseline"
        case .moduleMissing: return "a kernel module loaded in the baseline is not loaded now"
        case .firewallFlushed: return "the firewall had rules in the baseline and has none now"
        case .firewallChanged: return "the firewall's rules differ (the chains whose rule counts changed are named)"
        case .containerStopped: return "a container running in the baseline is not running now, or gone"
        case .containerImageChanged: return "a container runs another image id"
        case .containerRestarted: return "a container was restarted or recreated (its start time, restart count or id changed)"
        case .logErrorsNew: return "a unit with no messages at priority err or worse in the baseline's boot logs them now (ignore: { logs: [regex] } drops known lines)"
        case .crashDumpNew: return "a core dump that was not there in the baseline"
        case .packageRunFailed: return "a package manager run since the baseline ended with an error (apt's history.log names it)"
        case .fixesInstalled: return "an upgrade since the baseline fixes CVEs or advisories (DSA-, DLA-) its changelog names above the old version"
        case .fixNotInEffect: return "a fix is installed but not in effect: a service still runs the package's replaced code (restart it), or the host needs a reboot for it"
        case .commandOutputChanged: return "a declared command with compare: output printed different output than in the baseline"
        case .configReplaced: return "a configuration file the operator had modified is the package's version now, or changed while the package manager set the old one aside (.dpkg-old, .ucf-old, .rpmsave)"
        case .configUnmerged: return "the package's new default of a configuration file was set aside (.dpkg-dist, .ucf-dist, .rpmnew): the service runs the old file; merge it"
        case .configChanged: return "a package's configuration file has another content than in the baseline (no file set aside)"
        case .fileChanged: return "a declared file's content, mode, owner, group or type differs from the baseline"
        case .fileMissing: return "a declared file present in the baseline is gone"
        }
    }
}
