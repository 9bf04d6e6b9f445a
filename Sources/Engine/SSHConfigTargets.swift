import Config
import Foundation

/// Applies the user's OpenSSH client config to hosts, the way `ssh` would resolve them.
///
/// Precedence: command-line flags, then the checks file's values for the host, then
/// ssh_config, then built-in defaults. PostPatch never turns host-key checking off:
/// `StrictHostKeyChecking no`/`off` is taken as `accept-new` (first-seen keys recorded,
/// changed keys refused).
public enum SSHConfigTargets {
    public static func apply(_ ssh: SSHConfig, to target: HostTarget, resolved host: ResolvedHost,
                             overrides o: TargetOverrides, knownHostsGiven: Bool) -> HostTarget {
        guard !target.isLocal else { return target }
        var t = target
        let alias = host.address
        let explicitUser = o.user ?? host.user
        let explicitPort = o.port ?? (host.port != 22 ? host.port : nil)
        let s = ssh.resolve(host: alias, localUser: o.localUser, user: explicitUser, port: explicitPort)
        t.address = s.hostName ?? alias
        t.user = explicitUser ?? s.user ?? o.localUser
        t.port = explicitPort ?? s.port ?? 22
        if o.identities.isEmpty && host.identity == nil && !s.identityFiles.isEmpty {
            t.identities = s.identityFiles.filter { FileManager.default.fileExists(atPath: $0) }
        }
        if !knownHostsGiven && host.knownHosts == nil, let file = s.userKnownHostsFile { t.knownHosts = file }
        if o.connectTimeout == nil && host.connectTimeout == nil, let seconds = s.connectTimeout {
            t.connectTimeout = .seconds(seconds)
        }
        t.identitiesOnly = s.identitiesOnly ?? false
        t.hostKeyAlias = s.hostKeyAlias
        t.ignoredSSHSettings = s.ignored
        if let strict = s.strictHostKeyChecking?.lowercased(), ["accept-new", "no", "off"].contains(strict) {
            t.acceptNewHostKeys = true
        }
        t.jumps = s.proxyJump.compactMap { spec -> JumpHop? in
            guard let hop = SSHJumpHop(spec) else { return nil }
            let hs = ssh.resolve(host: hop.host, localUser: o.localUser, user: hop.user, port: hop.port)
            return JumpHop(address: hs.hostName ?? hop.host, port: hop.port ?? hs.port ?? 22,
                           user: hop.user ?? hs.user ?? o.localUser,
                           identities: hs.identityFiles.filter { FileManager.default.fileExists(atPath: $0) })
        }
        return t
    }
}
