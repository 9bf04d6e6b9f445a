/// Who can log in and who can become root: local accounts, the privileged groups' members, the
/// sudoers files, each user's authorized SSH keys and sshd's effective login settings. Never a
/// password hash (only whether one is set), never a key's text (its SHA-256 fingerprint).
public struct Accounts: Codable, Sendable, Equatable {
    public var users: [LocalAccount]
    /// sudo, wheel, adm, root: the groups that grant privileges, with their members.
    public var groups: [PrivilegedGroup]
    /// /etc/sudoers and /etc/sudoers.d/*, by digest; nil when they could not be read (not root).
    public var sudoers: [FileDigest]?
    public var authorizedKeys: [AuthorizedKey]
    /// `sshd -T`'s values for the login settings (``sshdSettings``); nil when sshd could not say.
    public var sshd: [String: String]?

    public init(users: [LocalAccount] = [], groups: [PrivilegedGroup] = [], sudoers: [FileDigest]? = nil,
                authorizedKeys: [AuthorizedKey] = [], sshd: [String: String]? = nil) {
        self.users = users
        self.groups = groups
        self.sudoers = sudoers
        self.authorizedKeys = authorizedKeys
        self.sshd = sshd
    }

    public static let privilegedGroups = ["root", "sudo", "wheel", "adm", "admin"]
    public static let sshdSettings = ["permitrootlogin", "passwordauthentication", "pubkeyauthentication",
                                      "kbdinteractiveauthentication", "permitemptypasswords", "allowusers", "allowgroups",
                                      "denyusers", "denygroups", "authorizedkeysfile", "usepam"]
}

public struct LocalAccount: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var uid: Int
    public var shell: String
    /// "set", "locked" (`!` or `*`), "none" (empty: no password needed), nil when the shadow
    /// file could not be read.
    public var password: String?

    public init(name: String, uid: Int, shell: String, password: String? = nil) {
        self.name = name
        self.uid = uid
        self.shell = shell
        self.password = password
    }

    public var sortKey: String { name }

    public static let noLoginShells: Set<String> = ["", "/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false", "/bin/sync"]

    /// A shell that lets the account log in.
    public var canLogin: Bool { !Self.noLoginShells.contains(shell) }
    /// A system account, as Debian's adduser and RHEL's useradd number them.
    public var isSystem: Bool { uid < 1000 && uid != 0 || uid == 65534 }
}

public struct PrivilegedGroup: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var members: [String]
    public init(name: String, members: [String]) {
        self.name = name
        self.members = members.sorted()
    }
    public var sortKey: String { name }
}

public struct FileDigest: Codable, Sendable, Equatable, SortKeyed {
    public var path: String
    /// md5 of the content ("md5:…").
    public var digest: String
    public init(path: String, digest: String) {
        self.path = path
        self.digest = digest
    }
    public var sortKey: String { path }
}

/// One key in a user's authorized_keys: its OpenSSH fingerprint, never its text.
public struct AuthorizedKey: Codable, Sendable, Equatable, SortKeyed {
    public var user: String
    /// "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com".
    public var type: String
    /// "SHA256:…" as `ssh-keygen -l` prints it.
    public var fingerprint: String

    public init(user: String, type: String, fingerprint: String) {
        self.user = user
        self.type = type
        self.fingerprint = fingerprint
    }

    public var sortKey: String { user + "\u{0}" + fingerprint }
}
