import Foundation

/// A private key file, read once before any connection starts (so a bad path or a
/// missing passphrase is reported once, not per host).
public struct Identity: Sendable {
    public enum KeyKind: String, Sendable { case ed25519, ecdsa, rsa, dsa, unknown }

    public var path: String
    public var kind: KeyKind
    public var encrypted: Bool
    var privateKey: [UInt8]
    var passphrase: Secret?
    /// For an unencrypted Ed25519 key in OpenSSH's format: the key, decoded once (KeySigner).
    var signer: KeySigner?

    /// Reads and classifies `path`. `passphrase` is needed only for encrypted keys.
    public static func load(path: String, passphrase: Secret? = nil) throws -> Identity {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SSHError.identityUnreadable(path: path, reason: "no such file: check -i/--identity")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSHError.identityUnreadable(path: path, reason: "cannot read it (permissions?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains("PRIVATE KEY-----") else {
            throw SSHError.identityUnreadable(path: path, reason: "not a private key (is it the .pub file?)")
        }
        let (kind, encrypted) = classify(text)
        let bytes = [UInt8](data)
        let signer = kind == .ed25519 && !encrypted ? KeySigner.ed25519(openSSHKey: bytes) : nil
        return Identity(path: path, kind: kind, encrypted: encrypted, privateKey: bytes, passphrase: passphrase, signer: signer)
    }

    public func with(passphrase: Secret) -> Identity {
        var copy = self
        copy.passphrase = passphrase
        return copy
    }

    /// Reads the key type and whether it is encrypted from the PEM header or, for the
    /// OpenSSH format, from the binary header (cipher name, then the public key's type).
    static func classify(_ text: String) -> (KeyKind, Bool) {
        if text.contains("BEGIN RSA PRIVATE KEY") { return (.rsa, text.contains("ENCRYPTED")) }
        if text.contains("BEGIN EC PRIVATE KEY") { return (.ecdsa, text.contains("ENCRYPTED")) }
        if text.contains("BEGIN DSA PRIVATE KEY") { return (.dsa, text.contains("ENCRYPTED")) }
        if text.contains("BEGIN ENCRYPTED PRIVATE KEY") { return (.unknown, true) }
        guard text.contains("BEGIN OPENSSH PRIVATE KEY") else { return (.unknown, false) }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let raw = Data(base64Encoded: body) else { return (.unknown, false) }
        var r = SSHWireReader([UInt8](raw))
        guard r.skip(literal: Array("openssh-key-v1\0".utf8)),
              let cipher = r.string(), r.string() != nil /* kdf name */, r.string() != nil /* kdf options */,
              r.uint32() != nil /* key count */, let pub = r.bytes() else { return (.unknown, false) }
        let encrypted = String(decoding: cipher, as: UTF8.self) != "none"
        let type = KnownHosts.keyType(ofBlob: pub) ?? ""
        let kind: KeyKind = type == "ssh-ed25519" ? .ed25519 : type.hasPrefix("ecdsa-") ? .ecdsa
            : type == "ssh-rsa" ? .rsa : type == "ssh-dss" ? .dsa : .unknown
        return (kind, encrypted)
    }
}

/// Reads SSH wire-format fields (RFC 4251: uint32, string).
struct SSHWireReader {
    private let data: [UInt8]
    private var at = 0
    init(_ data: [UInt8]) { self.data = data }

    mutating func skip(literal: [UInt8]) -> Bool {
        guard data.count >= at + literal.count, Array(data[at..<(at + literal.count)]) == literal else { return false }
        at += literal.count
        return true
    }

    mutating func uint32() -> UInt32? {
        guard data.count >= at + 4 else { return nil }
        defer { at += 4 }
        return UInt32(data[at]) << 24 | UInt32(data[at + 1]) << 16 | UInt32(data[at + 2]) << 8 | UInt32(data[at + 3])
    }

    mutating func bytes() -> [UInt8]? {
        guard let n = uint32(), n < 1 << 20, data.count >= at + Int(n) else { return nil }
        defer { at += Int(n) }
        return Array(data[at..<(at + Int(n))])
    }

    mutating func string() -> [UInt8]? { bytes() }
}
