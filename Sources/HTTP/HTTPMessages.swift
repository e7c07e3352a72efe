import Foundation

public enum HTTPMethod: String, Sendable {
    case get = "GET"
    case post = "POST"
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// An http:// or https:// URL; a user and password in it must be percent-encoded.
    public var url: String
    /// Sent in order. Set `Content-Type` for a POST: libcurl otherwise sends
    /// `application/x-www-form-urlencoded`. A header with an empty value is sent empty.
    public var headers: [(String, String)]
    /// The POST body; ignored for GET.
    public var body: Data

    public init(method: HTTPMethod, url: String, headers: [(String, String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// Status and headers of a response.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    /// Field names lower-cased; a field sent several times has its values joined by ", "
    /// (RFC 9110 §5.3), so `set-cookie` values are not separable.
    public var headers: [String: String]

    public init(status: Int, headers: [String: String]) {
        self.status = status
        self.headers = headers
    }

    /// The value of the header `name`, whatever its case.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Field names lower-cased; see `HTTPResponseHead.headers`.
    public var headers: [String: String]
    /// The body, already decompressed when the server sent it gzip-encoded.
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the header `name`, whatever its case.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}
