import Foundation
import HTTP
import XCTest

/// Each failure the loopback server can provoke, its typed case, retryability and message.
final class HTTPClientFailureTests: LoopbackServerTestCase {
    func testRetryableStatusesFailAsRetryableBadStatus() throws {
        for code in [429, 502, 503, 504] {
            let error = httpError(try HTTPClient().get(url: try server.url("/status/\(code)")))
            guard case .badStatus(let url, let status, let bodyPrefix, let location)? = error else {
                return XCTFail("expected badStatus for \(code), got \(String(describing: error))")
            }
            XCTAssertEqual(status, code)
            XCTAssertEqual(url, try server.url("/status/\(code)"))
            XCTAssertEqual(bodyPrefix, "status \(code) body: server says no")
            XCTAssertNil(location)
            XCTAssertTrue(error?.isRetryable ?? false, "\(code) is retryable")
            XCTAssertTrue(error?.description.contains("answered HTTP \(code): status \(code) body") ?? false)
        }
    }

    func testOtherStatusesFailAsPermanentBadStatus() throws {
        for code in [400, 401, 403, 404, 422, 500] {
            let error = httpError(try HTTPClient().post(url: try server.url("/status/\(code)"), body: Data("x".utf8)))
            guard case .badStatus(_, let status, _, _)? = error else {
                return XCTFail("expected badStatus for \(code), got \(String(describing: error))")
            }
            XCTAssertEqual(status, code)
            XCTAssertFalse(error?.isRetryable ?? true, "\(code) is not retryable")
        }
        let unauthorized = httpError(try HTTPClient().get(url: try server.url("/status/401")))
        XCTAssertTrue(unauthorized?.description.contains("Check the credentials") ?? false)
    }

    func testARedirectIsNotFollowedAndItsTargetIsRedacted() throws {
        let error = httpError(try HTTPClient().get(url: try server.url("/redirect")))
        guard case .badStatus(_, 302, _, let location?)? = error else {
            return XCTFail("expected badStatus 302 with a location, got \(String(describing: error))")
        }
        XCTAssertEqual(location, "https://admin:***@elsewhere.invalid/x?token=***")
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("redirects to https://admin:***@elsewhere.invalid"), message)
        XCTAssertFalse(message.contains("LocationSecret") || message.contains("LocationToken"), message)
    }

    func testTotalTimeout() throws {
        let client = HTTPClient(configuration: .init(totalTimeout: 1))
        // /sleep/3 answers 200 after 3 s: a totalTimeout error proves the 1 s limit cut it off.
        let error = httpError(try client.get(url: try server.url("/sleep/3")))
        guard case .totalTimeout(let url, let seconds)? = error else {
            return XCTFail("expected totalTimeout, got \(String(describing: error))")
        }
        XCTAssertEqual(seconds, 1)
        XCTAssertEqual(url, try server.url("/sleep/3"))
        XCTAssertTrue(error?.isRetryable ?? false)
        XCTAssertTrue(error?.description.contains("did not complete within 1 s") ?? false, error?.description ?? "")
    }

    func testTotalTimeoutOnAReusedConnectionIsNotAConnectTimeout() throws {
        let client = HTTPClient(configuration: .init(totalTimeout: 1))
        _ = try client.get(url: try server.url("/connection"))
        let error = httpError(try client.get(url: try server.url("/sleep/3")))
        guard case .totalTimeout? = error else {
            return XCTFail("expected totalTimeout, got \(String(describing: error))")
        }
    }

    func testConnectTimeout() throws {
        let client = HTTPClient(configuration: .init(connectTimeout: 1, totalTimeout: 10))
        let url = "http://127.0.0.1:\(try server.blackholePort)/"
        // The black hole never accepts: a connectTimeout (not the 10 s totalTimeout) proves the 1 s connect limit fired.
        let error = httpError(try client.get(url: url))
        guard case .connectTimeout(url, let seconds)? = error else {
            return XCTFail("expected connectTimeout, got \(String(describing: error))")
        }
        XCTAssertEqual(seconds, 1)
        XCTAssertTrue(error?.isRetryable ?? false)
        XCTAssertTrue(error?.description.contains("Connecting to \(url) timed out after 1 s") ?? false, error?.description ?? "")
    }

    func testALowSpeedLimitStopsATrickle() throws {
        let limit = HTTPClient.LowSpeedLimit(bytesPerSecond: 100, seconds: 1)
        let client = HTTPClient(configuration: .init(totalTimeout: 20, lowSpeedLimit: limit))
        // transferStalled (not the 20 s totalTimeout) proves the low-speed limit stopped the trickle.
        let error = httpError(try client.get(url: try server.url("/trickle")))
        guard case .transferStalled(_, 100, 1)? = error else {
            return XCTFail("expected transferStalled, got \(String(describing: error))")
        }
        XCTAssertTrue(error?.isRetryable ?? false)
        XCTAssertTrue(error?.description.contains("less than 100 bytes/s for 1 s") ?? false)
    }

    func testServerClosingWithoutAnAnswerIsAnEmptyReply() throws {
        let error = httpError(try HTTPClient().get(url: try server.url("/close")))
        guard case .emptyReply(let url)? = error else {
            return XCTFail("expected emptyReply, got \(String(describing: error))")
        }
        XCTAssertEqual(url, try server.url("/close"))
        XCTAssertTrue(error?.isRetryable ?? false)
        XCTAssertTrue(error?.description.contains("closed the connection without answering") ?? false)
    }

    func testAResetConnection() throws {
        let error = httpError(try HTTPClient().get(url: try server.url("/reset")))
        guard case .connectionReset(_, let detail)? = error else {
            return XCTFail("expected connectionReset, got \(String(describing: error))")
        }
        XCTAssertTrue(detail.contains("reset"), detail)
        XCTAssertTrue(error?.isRetryable ?? false)
    }

    func testAPartialBody() throws {
        let error = httpError(try HTTPClient().get(url: try server.url("/partial")))
        guard case .partialBody(_, let received, let expected)? = error else {
            return XCTFail("expected partialBody, got \(String(describing: error))")
        }
        XCTAssertEqual(received, 100)
        XCTAssertEqual(expected, 1000)
        XCTAssertTrue(error?.isRetryable ?? false)
        XCTAssertTrue(error?.description.contains("after 100 body bytes of the 1000 announced") ?? false, error?.description ?? "")
    }

    func testConnectionRefusedOnAClosedPort() throws {
        let url = "http://odoo:Hunter2Secret@127.0.0.1:\(try server.closedPort)/xmlrpc/2/object"
        let error = httpError(try HTTPClient().post(url: url, body: Data()))
        guard case .couldNotConnect(let reported, _)? = error else {
            return XCTFail("expected couldNotConnect, got \(String(describing: error))")
        }
        XCTAssertEqual(reported, "http://odoo:***@127.0.0.1:\(try server.closedPort)/xmlrpc/2/object")
        XCTAssertTrue(error?.isRetryable ?? false)
        XCTAssertFalse(String(describing: error).contains("Hunter2Secret"))
    }

    func testAnUnresolvableHost() throws {
        // .invalid never resolves (RFC 6761): one negative lookup at the configured resolver.
        let error = httpError(try HTTPClient(configuration: .init(connectTimeout: 5)).get(url: "http://odoo-etl-test.invalid/"))
        guard case .couldNotResolveHost? = error else {
            return XCTFail("expected couldNotResolveHost, got \(String(describing: error))")
        }
        XCTAssertFalse(error?.isRetryable ?? true)
        XCTAssertTrue(error?.description.contains("Could not resolve the host of http://odoo-etl-test.invalid/") ?? false)
    }

    func testASelfSignedCertificateFailsVerification() throws {
        let server = try tlsServer
        let error = httpError(try HTTPClient().get(url: server.tlsURL("/connection")))
        guard case .tlsFailure(_, let detail)? = error else {
            return XCTFail("expected tlsFailure, got \(String(describing: error))")
        }
        XCTAssertTrue(detail.contains("certificate"), detail)
        XCTAssertFalse(error?.isRetryable ?? true)
        XCTAssertTrue(error?.description.contains("caFile") ?? false)
    }

    func testSpeakingTLSToAPlainHTTPPortIsATLSFailure() throws {
        let error = httpError(try HTTPClient().get(url: "https://127.0.0.1:\(try server.httpPort)/connection"))
        guard case .tlsFailure? = error else {
            return XCTFail("expected tlsFailure, got \(String(describing: error))")
        }
    }

    func testABodyOverTheLimitByContentLength() throws {
        let client = HTTPClient(configuration: .init(maxResponseBytes: 1_000_000))
        let error = httpError(try client.get(url: try server.url("/large?bytes=2000000")))
        guard case .responseTooLarge(_, 1_000_000)? = error else {
            return XCTFail("expected responseTooLarge, got \(String(describing: error))")
        }
        XCTAssertFalse(error?.isRetryable ?? true)
        XCTAssertTrue(error?.description.contains("exceeds the limit of 1000000 bytes") ?? false)
        XCTAssertEqual(
            try client.get(url: try server.url("/large?bytes=1000000")).body.count, 1_000_000,
            "a body at the limit passes, and the client stays usable")
    }

    func testAChunkedBodyOverTheLimit() throws {
        let client = HTTPClient(configuration: .init(maxResponseBytes: 1_000_000))
        let error = httpError(try client.get(url: try server.url("/chunked?bytes=2000000")))
        guard case .responseTooLarge(_, 1_000_000)? = error else {
            return XCTFail("expected responseTooLarge, got \(String(describing: error))")
        }
    }

    func testSchemesOtherThanHTTPAreRefused() {
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/file"] {
            guard case .invalidURL? = httpError(try HTTPClient().get(url: url)) else {
                return XCTFail("expected invalidURL for \(url)")
            }
        }
    }

    func testAHeaderWithALineBreakIsRefused() throws {
        let error = httpError(try HTTPClient().get(url: try server.url("/headers"), headers: [("X-Evil", "a\r\nInjected: yes")]))
        guard case .invalidHeader(_, "X-Evil")? = error else {
            return XCTFail("expected invalidHeader, got \(String(describing: error))")
        }
        XCTAssertFalse(error?.isRetryable ?? true)
        for (name, value) in [("X-A\nB", "v"), ("X-A: B", "v"), ("", "v"), ("X-Lf", "a\nb"), ("X-Cr", "a\rb")] {
            guard case .invalidHeader? = httpError(try HTTPClient().get(url: try server.url("/headers"), headers: [(name, value)])) else {
                return XCTFail("expected invalidHeader for \(name.debugDescription): \(value.debugDescription)")
            }
        }
    }

    func testSecretsInTheURLNeverAppearInErrorText() throws {
        let secrets = ["UserPassw0rd", "QueryPassw0rd", "ApiKey123"]
        let query = "?db=prod&password=QueryPassw0rd&api_key=ApiKey123"
        let urls = [
            "http://admin:UserPassw0rd@127.0.0.1:\(try server.httpPort)/status/503\(query)",
            "http://admin:UserPassw0rd@127.0.0.1:\(try server.httpPort)/close\(query)",
            "http://admin:UserPassw0rd@127.0.0.1:\(try server.httpPort)/partial\(query)",
            "http://admin:UserPassw0rd@127.0.0.1:\(try server.closedPort)/\(query)",
        ]
        for url in urls {
            guard let error = httpError(try HTTPClient(configuration: .init(totalTimeout: 5)).get(url: url)) else { continue }
            let texts = [error.description, error.url, String(describing: error), String(reflecting: error)]
            for text in texts {
                for secret in secrets {
                    XCTAssertFalse(text.contains(secret), "\(secret) leaked in: \(text)")
                }
            }
            XCTAssertTrue(error.description.contains("admin:***@127.0.0.1"), error.description)
            XCTAssertTrue(error.description.contains("db=prod&password=***&api_key=***"), error.description)
        }
    }
}
