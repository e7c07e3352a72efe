import Foundation

/// Why an HTTP exchange failed. Every `url` is already redacted (see `redactedURL(_:)`), so the
/// error and its description are safe to log.
public enum HTTPError: Error, CustomStringConvertible {
    /// libcurl could not parse the URL or does not speak its scheme (only http and https are allowed).
    case invalidURL(url: String, detail: String)
    /// A request header name or value contains a line break or a colon in its name.
    case invalidHeader(url: String, name: String)
    /// DNS (or the proxy's DNS) could not resolve the host.
    case couldNotResolveHost(url: String, detail: String)
    /// The TCP connection failed, typically refused because nothing listens on the port.
    case couldNotConnect(url: String, detail: String)
    /// No connection was established within `seconds`.
    case connectTimeout(url: String, seconds: Double)
    /// The whole exchange did not finish within `seconds` (the configured total timeout).
    case totalTimeout(url: String, seconds: Double)
    /// Fewer than `bytesPerSecond` arrived for `seconds` in a row (the configured low-speed limit).
    case transferStalled(url: String, bytesPerSecond: Int, seconds: Int)
    /// The connection broke while sending the request or reading the response.
    case connectionReset(url: String, detail: String)
    /// The server closed the connection without sending any response.
    case emptyReply(url: String)
    /// The connection closed before the announced body arrived.
    case partialBody(url: String, receivedBytes: Int, expectedBytes: Int?)
    /// TLS handshake or certificate verification failed.
    case tlsFailure(url: String, detail: String)
    /// The response body exceeds the configured `maxResponseBytes`.
    case responseTooLarge(url: String, limitBytes: Int)
    /// The server answered with a status outside 200–299. `bodyPrefix` is the start of the body,
    /// whitespace collapsed; `location` is the redirect target of a 3xx answer.
    case badStatus(url: String, status: Int, bodyPrefix: String, location: String?)
    /// Any other libcurl failure; `curlCode` is libcurl's CURLcode number.
    case transport(url: String, curlCode: Int, detail: String)

    /// How many bytes of an error body `badStatus` keeps.
    public static let bodyPrefixLimit = 512

    /// The redacted URL of the failed request.
    public var url: String {
        switch self {
        case .invalidURL(let url, _), .invalidHeader(let url, _), .couldNotResolveHost(let url, _),
            .couldNotConnect(let url, _), .connectTimeout(let url, _), .totalTimeout(let url, _),
            .transferStalled(let url, _, _), .connectionReset(let url, _), .emptyReply(let url),
            .partialBody(let url, _, _), .tlsFailure(let url, _), .responseTooLarge(let url, _),
            .badStatus(let url, _, _, _), .transport(let url, _, _):
            return url
        }
    }

    /// Whether the same request may succeed if sent again later: timeouts, broken connections,
    /// refused connections (a server restarting) and the statuses 429, 502, 503, 504.
    /// Resolution failures, TLS failures, oversized responses and other statuses are not.
    public var isRetryable: Bool {
        switch self {
        case .couldNotConnect, .connectTimeout, .totalTimeout, .transferStalled,
            .connectionReset, .emptyReply, .partialBody:
            return true
        case .badStatus(_, let status, _, _):
            return HTTPError.retryableStatuses.contains(status)
        case .invalidURL, .invalidHeader, .couldNotResolveHost, .tlsFailure, .responseTooLarge, .transport:
            return false
        }
    }

    static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

    public var description: String {
        switch self {
        case .invalidURL(let url, let detail):
            return "Invalid URL \(url): \(detail). Use an http:// or https:// URL with a percent-encoded user and password."
        case .invalidHeader(let url, let name):
            return "Request header \"\(name)\" for \(url) contains a line break (or its name a colon); "
                + "refusing to send it. Remove control characters from header names and values."
        case .couldNotResolveHost(let url, let detail):
            return "Could not resolve the host of \(url) (\(detail)). Check the host name and the DNS or proxy settings."
        case .couldNotConnect(let url, let detail):
            return "Could not connect to \(url) (\(detail)). Check that the server is running and listens on that port."
        case .connectTimeout(let url, let seconds):
            return "Connecting to \(url) timed out after \(formatted(seconds)) s. The host is unreachable "
                + "or a firewall drops the packets; check the network path, or raise the connect timeout."
        case .totalTimeout(let url, let seconds):
            return "Request to \(url) did not complete within \(formatted(seconds)) s. The server is slow or stuck; "
                + "retry later, ask for less data per request, or raise the total timeout."
        case .transferStalled(let url, let bytesPerSecond, let seconds):
            return "Transfer from \(url) stalled: less than \(bytesPerSecond) bytes/s for \(seconds) s. "
                + "The network or the server is stuck; retry later, or relax the low-speed limit."
        case .connectionReset(let url, let detail):
            return "Connection to \(url) broke during the exchange (\(detail)). Retry; if it persists, "
                + "check proxies and load balancers between here and the server."
        case .emptyReply(let url):
            return "\(url) closed the connection without answering. The server crashed or a proxy dropped "
                + "the request; retry, and check the server's log if it persists."
        case .partialBody(let url, let received, let expected):
            let announced = expected.map { " of the \($0) announced" } ?? ""
            return "\(url) closed the connection after \(received) body bytes\(announced). "
                + "The server or a proxy died mid-response; retry."
        case .tlsFailure(let url, let detail):
            return "TLS with \(url) failed (\(detail)). Check the server's certificate and host name, "
                + "or point caFile at the CA that signed it; do not turn verification off in production."
        case .responseTooLarge(let url, let limit):
            return "Response from \(url) exceeds the limit of \(limit) bytes. Request smaller pages, "
                + "or raise maxResponseBytes if the size is expected."
        case .badStatus(let url, let status, let bodyPrefix, let location):
            let body = bodyPrefix.isEmpty ? "" : ": \(bodyPrefix)"
            return "\(url) answered HTTP \(status)\(body). \(advice(status: status, location: location))"
        case .transport(let url, let code, let detail):
            return "HTTP exchange with \(url) failed: \(detail) (libcurl code \(code))."
        }
    }
}

private func advice(status: Int, location: String?) -> String {
    switch status {
    case 300..<400:
        let target = location.map { " to \($0)" } ?? ""
        return "The server redirects\(target); configure that URL directly (redirects are not followed)."
    case 401, 403:
        return "Check the credentials and the account's access rights."
    case 404:
        return "Check the URL path and that the service is enabled on the server."
    case 413:
        return "The request is too large for the server; send less per request."
    case 429, 503:
        return "The server is overloaded or throttling; retry later with backoff."
    case 502, 504:
        return "A gateway could not reach the server in time; retry later."
    case 400..<500:
        return "The server rejected the request; check what was sent."
    default:
        return "The server failed; check its log."
    }
}

private func formatted(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.3g", seconds)
}
