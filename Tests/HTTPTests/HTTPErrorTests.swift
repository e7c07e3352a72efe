import HTTP
import XCTest

/// Retryability and message text of every case, without a network.
final class HTTPErrorTests: XCTestCase {
    private let url = "https://odoo:***@erp.example.com/xmlrpc/2/object"

    private var everyCase: [(HTTPError, retryable: Bool, says: String)] {
        [
            (.invalidURL(url: url, detail: "bad"), false, "Invalid URL"),
            (.invalidHeader(url: url, name: "X-A"), false, "Request header \"X-A\""),
            (.couldNotResolveHost(url: url, detail: "nx"), false, "Could not resolve the host"),
            (.couldNotConnect(url: url, detail: "refused"), true, "Could not connect"),
            (.connectTimeout(url: url, seconds: 10), true, "timed out after 10 s"),
            (.totalTimeout(url: url, seconds: 2.5), true, "within 2.5 s"),
            (.transferStalled(url: url, bytesPerSecond: 10, seconds: 30), true, "less than 10 bytes/s for 30 s"),
            (.connectionReset(url: url, detail: "Connection reset by peer"), true, "Connection reset by peer"),
            (.emptyReply(url: url), true, "without answering"),
            (.partialBody(url: url, receivedBytes: 5, expectedBytes: nil), true, "after 5 body bytes."),
            (.tlsFailure(url: url, detail: "expired"), false, "TLS with"),
            (.responseTooLarge(url: url, limitBytes: 9), false, "limit of 9 bytes"),
            (.badStatus(url: url, status: 429, bodyPrefix: "", location: nil), true, "answered HTTP 429."),
            (.badStatus(url: url, status: 502, bodyPrefix: "x", location: nil), true, "answered HTTP 502: x"),
            (.badStatus(url: url, status: 503, bodyPrefix: "x", location: nil), true, "retry later"),
            (.badStatus(url: url, status: 504, bodyPrefix: "x", location: nil), true, "HTTP 504"),
            (.badStatus(url: url, status: 500, bodyPrefix: "x", location: nil), false, "HTTP 500"),
            (.badStatus(url: url, status: 404, bodyPrefix: "x", location: nil), false, "Check the URL path"),
            (.badStatus(url: url, status: 409, bodyPrefix: "x", location: nil), false, "rejected the request"),
            (.badStatus(url: url, status: 301, bodyPrefix: "", location: "https://b/"), false, "redirects to https://b/"),
            (.transport(url: url, curlCode: 61, detail: "bad gzip"), false, "libcurl code 61"),
        ]
    }

    func testRetryability() {
        for (error, retryable, _) in everyCase {
            XCTAssertEqual(error.isRetryable, retryable, "\(error)")
        }
    }

    func testEveryDescriptionNamesTheURLAndWhatHappened() {
        for (error, _, says) in everyCase {
            XCTAssertEqual(error.url, url)
            XCTAssertTrue(error.description.contains(url), error.description)
            XCTAssertTrue(error.description.contains(says), "\"\(says)\" missing from: \(error.description)")
        }
    }
}
