import Foundation

/// A blocking HTTP/1.1 and HTTP/2 client over one libcurl easy handle.
///
/// Consecutive requests to the same host reuse the open connection (keep-alive), so keep one
/// client per connection you want: one per worker.
///
/// **Not thread-safe.** Use an instance from one thread at a time; give each worker its own.
///
/// **Blocking.** Every method blocks the calling thread for the whole exchange (up to the
/// configured timeouts). Never call it on the Swift concurrency pool (from an `async` context
/// without hopping off it): run it on a dedicated `Thread` or a `DispatchQueue`, otherwise it
/// starves the pool's few threads.
///
/// Redirects are not followed (a POST must not silently turn into a GET); a 3xx answer fails
/// with `HTTPError.badStatus` naming the target. Proxies come from the environment variables
/// libcurl reads (see `Configuration`). libcurl's global state is initialised once, on first use,
/// and lives until the process exits.
public final class HTTPClient {
    public let configuration: Configuration
    /// Created on the first request so that a setup failure can name the URL it was for.
    private var easyHandle: CurlEasyHandle?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// POSTs `body` and returns the 2xx response; any other status throws `HTTPError.badStatus`.
    public func post(url: String, body: Data, headers: [(String, String)] = []) throws -> HTTPResponse {
        try requireSuccess(send(HTTPRequest(method: .post, url: url, headers: headers, body: body)), url: url)
    }

    /// GETs `url` and returns the 2xx response; any other status throws `HTTPError.badStatus`.
    public func get(url: String, headers: [(String, String)] = []) throws -> HTTPResponse {
        try requireSuccess(send(HTTPRequest(method: .get, url: url, headers: headers)), url: url)
    }

    /// Sends `request` and returns the response whatever its status; throws only when no complete
    /// response arrived (or it was too large).
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let sink = ResponseSink(maxBodyBytes: configuration.maxResponseBytes)
        let status = try handle(for: request.url).perform(request, into: sink)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// Sends `request` and hands a 2xx body to `onBodyChunk` piece by piece as it arrives, without
    /// buffering it; returns the head once the body is complete.
    ///
    /// A non-2xx answer is not streamed: it throws `HTTPError.badStatus` after the transfer.
    /// An error thrown by `onBodyChunk` aborts the transfer and is rethrown unchanged. When the
    /// transfer fails midway (`partialBody`, `totalTimeout`, ...) the chunks already delivered
    /// are an incomplete body: discard what was built from them.
    public func stream(_ request: HTTPRequest, onBodyChunk: (Data) throws -> Void) throws -> HTTPResponseHead {
        try withoutActuallyEscaping(onBodyChunk) { consumer in
            let sink = ResponseSink(maxBodyBytes: configuration.maxResponseBytes, consumer: consumer)
            let status = try handle(for: request.url).perform(request, into: sink)
            try requireSuccess(status: status, headers: sink.headers, errorBody: sink.body, url: request.url)
            return HTTPResponseHead(status: status, headers: sink.headers)
        }
    }

    private func handle(for url: String) throws -> CurlEasyHandle {
        if let easyHandle { return easyHandle }
        let created = try CurlEasyHandle(configuration: configuration, url: url)
        easyHandle = created
        return created
    }

    private func requireSuccess(_ response: HTTPResponse, url: String) throws -> HTTPResponse {
        try requireSuccess(status: response.status, headers: response.headers, errorBody: response.body, url: url)
        return response
    }

    private func requireSuccess(status: Int, headers: [String: String], errorBody: Data, url: String) throws {
        guard (200..<300).contains(status) else {
            throw HTTPError.badStatus(
                url: redactedURL(url),
                status: status,
                bodyPrefix: bodyPrefix(errorBody),
                location: headers["location"].map(redactedURL)
            )
        }
    }
}

/// The start of an error body on one line, for a message.
private func bodyPrefix(_ body: Data) -> String {
    let text = String(decoding: body.prefix(HTTPError.bodyPrefixLimit), as: UTF8.self)
    let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    return body.count > HTTPError.bodyPrefixLimit ? collapsed + "…" : collapsed
}
