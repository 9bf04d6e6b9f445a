import Foundation
import Probe
import SSH
#if canImport(Glibc)
import Glibc
#endif

/// The host `local`: commands run through /bin/sh on this machine, each on a dedicated
/// thread (spawn, pipes and waitpid block; they must stay off Swift's cooperative pool).
public struct LocalTransport: HostTransport {
    public init() {}

    public func run(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<ExecResult, Error>) in
            let t = Thread {
                cont.resume(with: Result { try LocalProcess.run(command, stdin: stdin, timeout: timeout, outputCap: outputCap) })
            }
            t.stackSize = 512 << 10
            t.start()
        }
    }

    public func openStream(host: String, port: Int, deadline: ContinuousClock.Instant) async throws -> ByteStream {
        try await SocketStream.connect(host: host, port: port, deadline: deadline)
    }

    public func close() async {}
}
