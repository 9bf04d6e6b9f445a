import CLibSSH2
import Foundation

/// An unencrypted Ed25519 key in OpenSSH's format, decoded once per run and signing through
/// libcrypto. Handing libssh2 the key file instead makes it decode the file at every login:
/// OpenSSL's PEM decoders are tried first (and fail on OpenSSH's format) under global locks,
/// which cost a sixth of the client's CPU on a 200-host run (docs/bench.md). Other keys (RSA,
/// ECDSA, encrypted ones) still go to libssh2 as the file.
final class KeySigner: @unchecked Sendable {
    /// The public key in SSH wire format ("ssh-ed25519", 32 bytes), as the server sees it.
    let publicBlob: [UInt8]
    private let key: OpaquePointer

    private init(publicBlob: [UInt8], key: OpaquePointer) {
        self.publicBlob = publicBlob
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    /// The signer of `file` (the key file's bytes), nil when it is not an unencrypted Ed25519
    /// key in OpenSSH's format (PROTOCOL.key: "openssh-key-v1", cipher and KDF "none", one key).
    static func ed25519(openSSHKey file: [UInt8]) -> KeySigner? {
        let text = String(decoding: file, as: UTF8.self)
        guard text.contains("BEGIN OPENSSH PRIVATE KEY") else { return nil }
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard let raw = Data(base64Encoded: body) else { return nil }
        var r = SSHWireReader([UInt8](raw))
        guard r.skip(literal: Array("openssh-key-v1\0".utf8)),
              r.string().map({ $0 == Array("none".utf8) }) == true, r.string().map({ $0 == Array("none".utf8) }) == true,
              r.bytes() != nil, r.uint32() == 1, let pub = r.bytes(), let section = r.bytes() else { return nil }
        var p = SSHWireReader(section)
        guard let check1 = p.uint32(), p.uint32() == check1, p.string() == Array("ssh-ed25519".utf8),
              let pubKey = p.bytes(), pubKey.count == 32, let secret = p.bytes(), secret.count == 64,
              Array(secret[32...]) == pubKey else { return nil }
        let seed = Array(secret[..<32])
        guard let key = seed.withUnsafeBufferPointer({ EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) })
        else { return nil }
        return KeySigner(publicBlob: pub, key: key)
    }

    /// The 64-byte signature of `data` (RFC 8709; libssh2 wraps it with the key type itself),
    /// nil when libcrypto fails.
    func sign(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(ctx) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard EVP_DigestSignInit(ctx, nil, nil, nil, key) == 1,
              EVP_DigestSign(ctx, &signature, &length, data.baseAddress, data.count) == 1, length == 64 else { return nil }
        return signature
    }

    /// libssh2's signing callback: `abstract` holds the signer; the signature is malloc'd, as
    /// libssh2 (with its default allocator) frees it.
    static let callback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
                                         UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int,
                                         UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 = { _, sig, sigLength, data, length, abstract in
        guard let sig, let sigLength, let data, let raw = abstract?.pointee else { return -1 }
        let signer = Unmanaged<KeySigner>.fromOpaque(raw).takeUnretainedValue()
        guard let blob = signer.sign(UnsafeBufferPointer(start: data, count: length)),
              let out = malloc(blob.count)?.assumingMemoryBound(to: UInt8.self) else { return -1 }
        out.initialize(from: blob, count: blob.count)
        sig.pointee = out
        sigLength.pointee = blob.count
        return 0
    }
}
