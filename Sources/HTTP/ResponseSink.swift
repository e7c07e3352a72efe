import Foundation

/// Receives what libcurl reads during one transfer: header lines and body chunks.
///
/// It keeps the head of the final response (an interim `100 Continue` or a proxy's
/// `CONNECT` answer is replaced by the next status line), enforces the body size limit, and
/// either collects the body or hands 2xx bodies to a consumer chunk by chunk.
final class ResponseSink {
    typealias ChunkConsumer = (Data) throws -> Void

    private let maxBodyBytes: Int
    private let consumer: ChunkConsumer?

    private(set) var status: Int?
    private(set) var headers: [String: String] = [:]
    private var lastHeaderName: String?
    /// The collected body: all of it without a consumer; with one, only a non-2xx body.
    private(set) var body = Data()
    private(set) var receivedBodyBytes = 0
    private(set) var exceededLimit = false
    /// What the consumer threw; the transfer was aborted and this is rethrown to the caller.
    private(set) var consumerError: Error?
    private var sawBody = false

    init(maxBodyBytes: Int, consumer: ChunkConsumer? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.consumer = consumer
    }

    var head: HTTPResponseHead {
        HTTPResponseHead(status: status ?? 0, headers: headers)
    }

    var announcedContentLength: Int? {
        headers["content-length"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// One header line as libcurl delivers it, CRLF included.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            startResponse(statusLine: text)
            return
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return }
        if text.first == " " || text.first == "\t" {
            // An obsolete folded continuation of the previous field (RFC 9112 §5.2).
            if let name = lastHeaderName { headers[name, default: ""] += " " + trimmed }
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
        lastHeaderName = name
    }

    /// One body chunk; returns false to make libcurl abort the transfer.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard receivedBodyBytes + chunk.count <= maxBodyBytes else {
            exceededLimit = true
            return false
        }
        receivedBodyBytes += chunk.count
        if let consumer, let status, (200..<300).contains(status) {
            do {
                try consumer(Data(chunk))
            } catch {
                consumerError = error
                return false
            }
            return true
        }
        if !sawBody {
            sawBody = true
            if let length = announcedContentLength, length > 0 {
                // Content-Length is the compressed size for gzip bodies: a floor, still worth reserving.
                body.reserveCapacity(min(length, maxBodyBytes))
            }
        }
        body.append(contentsOf: chunk)
        return true
    }

    private func startResponse(statusLine: String) {
        let fields = statusLine.split(separator: " ", maxSplits: 2)
        status = fields.count >= 2 ? Int(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) : nil
        headers = [:]
        lastHeaderName = nil
    }
}
