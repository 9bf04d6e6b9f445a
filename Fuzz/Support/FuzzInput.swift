// Shared by every entry in Fuzz/ (scripts/fuzz compiles this file into each fuzz binary).

/// libFuzzer's input handed to `body` as bytes and as text (invalid UTF-8 becomes U+FFFD, as
/// PostPatch decodes host output); returns libFuzzer's "input processed" code.
func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int, _ body: (_ bytes: [UInt8], _ text: String) -> Void) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    body(bytes, String(decoding: bytes, as: UTF8.self))
    return 0
}
