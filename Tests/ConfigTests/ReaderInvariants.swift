import XCTest
@testable import Config

/// What the config readers promise for any input, beyond not crashing: an error is a ConfigError
/// (it names the file and says what to do), never another type; what ssh_config resolves holds
/// only values ssh itself would accept. The fuzz-style tests check every input with these.
enum ReaderInvariants {
    /// Runs `read`; an error other than ConfigError fails the test. Answers the value, if any.
    @discardableResult
    static func configErrorOrValue<T>(_ what: String, file: StaticString = #filePath, line: UInt = #line,
                                       _ read: () throws -> T) -> T? {
        do {
            return try read()
        } catch is ConfigError {
            return nil
        } catch {
            XCTFail("\(what): \(type(of: error)), not a ConfigError: \(error)", file: file, line: line)
            return nil
        }
    }

    /// An inventory lists every host in group `all`, and nothing else there.
    static func inventory(_ inventory: Inventory, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(inventory.groups["all"] ?? []), Set(inventory.hosts.map(\.name)), file: file, line: line)
    }

    /// Settings resolved from any ssh_config: a port ssh accepts (1...65535), a timeout that is
    /// not negative, a StrictHostKeyChecking mode ssh knows, identity files without duplicates.
    static func settings(_ s: SSHHostSettings, file: StaticString = #filePath, line: UInt = #line) {
        if let port = s.port { XCTAssertTrue((1...65535).contains(port), "port \(port)", file: file, line: line) }
        if let timeout = s.connectTimeout { XCTAssertGreaterThanOrEqual(timeout, 0, file: file, line: line) }
        if let mode = s.strictHostKeyChecking {
            XCTAssertTrue(["yes", "no", "ask", "accept-new"].contains(mode), "StrictHostKeyChecking \(mode)", file: file, line: line)
        }
        XCTAssertEqual(Set(s.identityFiles).count, s.identityFiles.count, "duplicate identity files \(s.identityFiles)",
                       file: file, line: line)
    }
}
