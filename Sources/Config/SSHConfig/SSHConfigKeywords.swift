/// What PostPatch does with each ssh_config keyword.
enum SSHKeywordKind: Sendable, Equatable {
    /// Host, Match, Include: they shape which lines apply.
    case structure
    /// Read and applied (HostName, User, Port, ...).
    case honoured
    /// Read so that ssh's interplay is right (ProxyCommand shadows ProxyJump, CanonicalizeHostname
    /// and IgnoreUnknown change parsing), then reported as not honoured.
    case tracked
    /// A real OpenSSH keyword PostPatch does not act on: reported per host in `ignored`.
    case notHonoured
    /// Deprecated or unsupported in OpenSSH itself, which skips it: PostPatch skips it too.
    case obsolete
}

/// The client keywords of OpenSSH 9.x/10.x (plus Debian's GSSAPI patch), lowercase -> (spelling, kind).
/// Unknown keywords are not fatal here as they are for ssh: PostPatch warns and goes on.
enum SSHConfigKeywords {
    static func lookup(_ lowered: String) -> (name: String, kind: SSHKeywordKind)? {
        table[lowered]
    }

    private static let table: [String: (name: String, kind: SSHKeywordKind)] = {
        var t: [String: (name: String, kind: SSHKeywordKind)] = [:]
        func add(_ kind: SSHKeywordKind, _ names: [String]) {
            for name in names { t[name.lowercased()] = (name, kind) }
        }
        /// Old spellings OpenSSH still accepts, reported under the current name.
        func alias(_ old: String, _ current: String) {
            if let entry = t[current.lowercased()] { t[old.lowercased()] = entry }
        }
        add(.structure, ["Host", "Match", "Include"])
        add(.honoured, ["HostName", "User", "Port", "IdentityFile", "IdentitiesOnly", "UserKnownHostsFile",
                        "StrictHostKeyChecking", "ConnectTimeout", "ProxyJump", "HostKeyAlias"])
        alias("IdentityFile2", "IdentityFile")
        add(.tracked, ["ProxyCommand", "CanonicalizeHostname", "IgnoreUnknown"])
        add(.notHonoured, [
            "AddKeysToAgent", "AddressFamily", "BatchMode", "BindAddress", "BindInterface", "CanonicalDomains",
            "CanonicalizeFallbackLocal", "CanonicalizeMaxDots", "CanonicalizePermittedCNAMEs",
            "CASignatureAlgorithms", "CertificateFile", "ChannelTimeout", "CheckHostIP", "Ciphers",
            "ClearAllForwardings", "Compression", "ConnectionAttempts", "ControlMaster", "ControlPath",
            "ControlPersist", "DynamicForward", "EnableEscapeCommandline", "EnableSSHKeysign", "EscapeChar",
            "ExitOnForwardFailure", "FingerprintHash", "ForkAfterAuthentication", "ForwardAgent", "ForwardX11",
            "ForwardX11Timeout", "ForwardX11Trusted", "GatewayPorts", "GlobalKnownHostsFile",
            "GSSAPIAuthentication", "GSSAPIClientIdentity", "GSSAPIDelegateCredentials", "GSSAPIKeyExchange",
            "GSSAPIKexAlgorithms", "GSSAPIRenewalForcesRekey", "GSSAPIServerIdentity", "GSSAPITrustDns",
            "HashKnownHosts", "HostbasedAcceptedAlgorithms", "HostbasedAuthentication", "HostKeyAlgorithms",
            "IdentityAgent", "IPQoS", "KbdInteractiveAuthentication", "KbdInteractiveDevices", "KexAlgorithms",
            "KnownHostsCommand", "LocalCommand", "LocalForward", "LogLevel", "LogVerbose", "MACs",
            "NoHostAuthenticationForLocalhost", "NumberOfPasswordPrompts", "ObscureKeystrokeTiming",
            "PasswordAuthentication", "PermitLocalCommand", "PermitRemoteOpen", "PKCS11Provider",
            "PreferredAuthentications", "ProtocolKeepAlives", "ProxyUseFdpass", "PubkeyAcceptedAlgorithms",
            "PubkeyAuthentication", "RefuseConnection", "RekeyLimit", "RemoteCommand", "RemoteForward",
            "RequestTTY", "RequiredRSASize", "RevokedHostKeys", "SecurityKeyProvider", "SendEnv",
            "ServerAliveCountMax", "ServerAliveInterval", "SessionType", "SetEnv", "SetupTimeOut", "StdinNull",
            "StreamLocalBindMask", "StreamLocalBindUnlink", "SyslogFacility", "Tag", "TCPKeepAlive", "Tunnel",
            "TunnelDevice", "UpdateHostKeys", "VerifyHostKeyDNS", "VersionAddendum", "VisualHostKey",
            "WarnWeakCrypto", "XAuthLocation",
        ])
        alias("HostbasedKeyTypes", "HostbasedAcceptedAlgorithms")
        alias("PubkeyAcceptedKeyTypes", "PubkeyAcceptedAlgorithms")
        alias("ChallengeResponseAuthentication", "KbdInteractiveAuthentication")
        alias("SkeyAuthentication", "KbdInteractiveAuthentication")
        alias("TISAuthentication", "KbdInteractiveAuthentication")
        alias("DSAAuthentication", "PubkeyAuthentication")
        alias("SmartcardDevice", "PKCS11Provider")
        alias("KeepAlive", "TCPKeepAlive")
        add(.obsolete, ["Protocol", "Cipher", "FallBackToRsh", "GlobalKnownHostsFile2", "RhostsAuthentication",
                        "UserKnownHostsFile2", "UseRoaming", "UseRsh", "UsePrivilegedPort", "UseBlacklistedKeys",
                        "AFSTokenPassing", "KerberosAuthentication", "KerberosTGTPassing", "RSAAuthentication",
                        "RhostsRSAAuthentication", "CompressionLevel"])
        return t
    }()
}
