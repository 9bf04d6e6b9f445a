/// One HTTP/1.1 request and its answer over any `ByteStream` (a direct-tcpip channel, a socket,
/// or a `TLSConnection` over either). Bounded: the head may be at most `headLimit` bytes, the
/// body is read up to `bodyLimit` bytes and the rest is never waited for; everything ends at
/// `deadline`. `Connection: close` is always sent, so one exchange is one connection.
public enum HTTPExchange {
    public static let headLimit = 64 * 1024

    public struct Request: Sendable {
        public var method: String
        /// Origin form: "/", "/health?x=1".
        public var path: String
        /// The Host header value ("www.example.test", "[::1]:8080").
        public var host: String
        /// Extra headers in order; callers supply only validated names and values (no CR/LF).
        public var headers: [(name: String, value: String)]

        public init(method: String = "GET", path: String = "/", host: String, headers: [(name: String, value: String)] = []) {
            self.method = method
            self.path = path
            self.host = host
            self.headers = headers
        }

        /// The bytes on the wire. Names or values holding CR or LF are dropped, never sent.
        public var wire: [UInt8] {
            func clean(_ s: String) -> Bool { !s.contains("\r") && !s.contains("\n") }
            var text = "\(method) \(clean(path) && !path.isEmpty ? path : "/") HTTP/1.1\r\nHost: \(clean(host) ? host : "localhost")\r\n"
            var named = Set<String>()
            for h in headers where clean(h.name) && clean(h.value) && !h.name.isEmpty {
                text += "\(h.name): \(h.value)\r\n"
                named.insert(h.name.lowercased())
            }
            if !named.contains("user-agent") { text += "User-Agent: postpatch\r\n" }
            if !named.contains("accept") { text += "Accept: */*\r\n" }
            text += "Connection: close\r\n\r\n"
            return Array(text.utf8)
        }
    }

    public struct Response: Sendable, Equatable {
        public var status: Int
        public var reason: String
        /// In order, names as sent (compare case-insensitively with `header(_:)`).
        public var headers: [Header]
        /// At most `bodyLimit` bytes, de-chunked.
        public var body: [UInt8]
        /// True when the body was longer than the limit (or the stream ended mid-body).
        public var bodyTruncated: Bool

        public struct Header: Sendable, Equatable {
            public var name: String
            public var value: String
        }

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible, Sendable {
        /// The stream ended before a complete status line and head.
        case closed(sample: [UInt8])
        /// The answer is not HTTP/1.x.
        case notHTTP(sample: [UInt8])
        /// The head is larger than `headLimit`.
        case headTooLarge

        public var description: String {
            switch self {
            case .closed(let s) where s.isEmpty: return "closed the connection without an HTTP answer"
            case .closed(let s): return "closed the connection mid-answer: '\(Sanitize.text(s, limit: 60))'"
            case .notHTTP(let s): return "did not answer HTTP: '\(Sanitize.text(s, limit: 60))'"
            case .headTooLarge: return "sent an HTTP head larger than \(headLimit / 1024) KiB"
            }
        }
    }

    /// Sends `request` and reads the answer. `bodyLimit: 0` reads the head only.
    /// Transport errors (timeouts included) are thrown as the stream throws them.
    /// `bodyWait`: once the head is in, how long the body may take before what arrived is kept
    /// (truncated) instead of the exchange failing: the learned probe's page is evidence, not a
    /// check, and a server that ignores `Connection: close` must not hold the probe. nil: until
    /// `deadline`, and a body cut by it fails the exchange when nothing of it arrived.
    public static func exchange(_ request: Request, over stream: ByteStream, bodyLimit: Int,
                                deadline: ContinuousClock.Instant, bodyWait: Duration? = nil) async throws -> Response {
        try await stream.write(request.wire, deadline: deadline)
        var buffer: [UInt8] = []
        var ended = false
        // The head.
        var headEnd: Int?
        while headEnd == nil {
            if let end = findHeadEnd(buffer) { headEnd = end; break }
            if buffer.count >= 8, !buffer.starts(with: Array("HTTP/".utf8)) { throw Failure.notHTTP(sample: buffer) }
            if buffer.count > headLimit { throw Failure.headTooLarge }
            if ended { throw Failure.closed(sample: buffer) }
            let chunk = try await stream.read(max: 16384, deadline: deadline)
            if chunk.isEmpty { ended = true } else { buffer += chunk }
        }
        guard let end = headEnd, var response = parseHead(Array(buffer[..<end])) else {
            throw Failure.notHTTP(sample: buffer)
        }
        var rest = Array(buffer[(headEnd! + 4)...])
        if bodyLimit <= 0 || request.method == "HEAD" || response.status == 204 || response.status == 304
            || (100..<200).contains(response.status) {
            response.bodyTruncated = !rest.isEmpty && bodyLimit <= 0
            return response
        }
        let chunked = response.header("transfer-encoding")?.lowercased().contains("chunked") == true
        let length = chunked ? nil : response.header("content-length").flatMap { Int($0.trimmingSpaces()) }
        // Raw bytes wanted: enough for the limit (plus chunk framing, bounded).
        let rawWanted = chunked ? bodyLimit + 64 * 1024 : min(length ?? Int.max, bodyLimit + 1)
        let bodyDeadline = bodyWait.map { min(deadline, ContinuousClock.now + $0) } ?? deadline
        while !ended && rest.count < rawWanted {
            if chunked, dechunk(rest).complete { break }
            let chunk: [UInt8]
            do { chunk = try await stream.read(max: 16384, deadline: bodyDeadline) } catch {
                if ContinuousClock.now >= bodyDeadline && (!rest.isEmpty || bodyWait != nil) {  // keep what arrived
                    response.bodyTruncated = true
                    break
                }
                throw error
            }
            if chunk.isEmpty { ended = true } else { rest += chunk }
        }
        if chunked {
            let d = dechunk(rest)
            response.body = Array(d.body.prefix(bodyLimit))
            response.bodyTruncated = d.body.count > bodyLimit || !d.complete
        } else {
            response.body = Array(rest.prefix(min(bodyLimit, length ?? Int.max)))
            response.bodyTruncated = rest.count > bodyLimit || (length.map { rest.count < $0 } ?? false)
        }
        return response
    }

    static func findHeadEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// "HTTP/1.1 502 Bad Gateway" and header lines; nil when the status line is not HTTP/1.x.
    static func parseHead(_ head: [UInt8]) -> Response? {
        let lines = head.split(separator: 10, omittingEmptySubsequences: false).map { line -> [UInt8] in
            line.last == 13 ? Array(line.dropLast()) : Array(line)
        }
        guard let first = lines.first, first.starts(with: Array("HTTP/1.".utf8)), first.count >= 12 else { return nil }
        let parts = first.split(separator: 32, maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[1].count == 3, let status = Int(String(decoding: parts[1], as: UTF8.self)),
              (100...999).contains(status) else { return nil }
        let reason = parts.count > 2 ? Sanitize.text(parts[2], limit: 80) : ""
        var headers: [Response.Header] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: 58), colon > 0 else { continue }
            let name = Sanitize.text(line[..<colon], limit: 100)
            let value = Sanitize.text(line[(colon + 1)...], limit: 2048)
            headers.append(.init(name: name, value: value))
        }
        return Response(status: status, reason: reason, headers: headers, body: [], bodyTruncated: false)
    }

    /// De-chunks what has arrived; `complete` once the last (zero) chunk was seen.
    static func dechunk(_ raw: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = []
        var i = 0
        while i < raw.count {
            guard let lineEnd = raw[i...].firstIndex(of: 10) else { return (body, false) }
            var sizeText = String(decoding: raw[i..<lineEnd], as: UTF8.self)
            if let semi = sizeText.firstIndex(of: ";") { sizeText = String(sizeText[..<semi]) }
            sizeText = sizeText.trimmingSpaces().replacingAll("\r", with: "")
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return (body, false) }
            if size == 0 { return (body, true) }
            let start = lineEnd + 1
            let end = start + size
            if end > raw.count {
                body += raw[start...]
                return (body, false)
            }
            body += raw[start..<end]
            i = end
            // CRLF after the chunk data.
            if i < raw.count, raw[i] == 13 { i += 1 }
            if i < raw.count, raw[i] == 10 { i += 1 }
        }
        return (body, false)
    }
}
