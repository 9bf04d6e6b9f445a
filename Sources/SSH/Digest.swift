import CLibSSH2
import Foundation

/// Hashes through libssh2's own crypto backend (OpenSSL's libcrypto).
enum Digest {
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = data.withUnsafeBufferPointer { SHA256($0.baseAddress, data.count, &out) }
        return out
    }

    static func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var len: UInt32 = 0
        _ = key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                HMAC(EVP_sha1(), k.baseAddress, Int32(key.count), d.baseAddress, data.count, &out, &len)
            }
        }
        return Array(out.prefix(Int(len)))
    }

    /// OpenSSH's fingerprint form: "SHA256:" + unpadded base64 of the key blob's SHA-256.
    static func fingerprint(ofKeyBlob blob: [UInt8]) -> String {
        var b64 = Data(sha256(blob)).base64EncodedString()
        while b64.hasSuffix("=") { b64.removeLast() }
        return "SHA256:" + b64
    }
}
