import Foundation
import Model
@testable import Probe

/// Bytes of a capture under Tests/Fixtures/probe/.
func fixture(_ name: String, file: StaticString = #filePath) throws -> [UInt8] {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/probe/\(name)")
    return [UInt8](try Data(contentsOf: url))
}

/// Runs a check over a plain socket from this machine, as for host `local`.
func probe(_ check: DatabaseCheck, environment: [String: String] = [:]) async -> DatabaseResult {
    await DatabaseProbe.runLocal(check, environment: environment)
}

/// Every text field of a result, for "the password appears nowhere" assertions.
func allText(_ result: DatabaseResult) -> String {
    [result.version, result.detail, result.error].compactMap { $0 }.joined(separator: "\n")
        + String(decoding: (try? JSONEncoder().encode(result)) ?? Data(), as: UTF8.self)
}

/// Decodes one message or returns nil (for tests that only care about the value).
func decoded<T>(_ outcome: Decoded<T>) -> T? {
    if case .done(let value, _) = outcome { return value }
    return nil
}

func isInvalid<T>(_ outcome: Decoded<T>) -> Bool {
    if case .invalid = outcome { return true }
    return false
}

func needsMore<T>(_ outcome: Decoded<T>) -> Bool {
    if case .needMore = outcome { return true }
    return false
}
