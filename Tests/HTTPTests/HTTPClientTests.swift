import Foundation
import HTTP
import XCTest

/// Successful exchanges against the loopback server.
final class HTTPClientTests: LoopbackServerTestCase {
    func testPostEchoesTheBodyAndSendsTheCallersHeadersWithoutExpect() throws {
        let client = HTTPClient()
        // Over 1 MB: libcurl would add "Expect: 100-continue" and stall a second if not told otherwise.
        let body = Data((0..<1_500_000).map { UInt8($0 % 256) })
        let response = try client.post(url: try server.url("/echo"), body: body, headers: [("Content-Type", "text/xml")])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, body)
        XCTAssertEqual(response.header("X-Received-Content-Type"), "text/xml")
        XCTAssertEqual(response.header("x-received-method"), "POST")
        // No Expect header reached the server, so nothing waited for a 100 Continue.
        XCTAssertEqual(response.header("x-received-expect"), "")
    }

    func testPostWithAnEmptyBodySendsAnEmptyBody() throws {
        let response = try HTTPClient().post(url: try server.url("/echo"), body: Data())
        XCTAssertEqual(response.body, Data())
        XCTAssertEqual(response.header("x-received-method"), "POST")
    }

    func testGetAfterPostOnTheSameClientIsAGet() throws {
        let client = HTTPClient()
        _ = try client.post(url: try server.url("/echo"), body: Data("x".utf8))
        let response = try client.get(url: try server.url("/headers"))
        let received = try jsonObject(response.body)
        XCTAssertNil(received["content-length"], "a GET after a POST must not carry the old body")
    }

    func testResponseHeaderNamesAreLowerCasedAndRequestHeadersArrive() throws {
        let client = HTTPClient(configuration: .init(userAgent: "http-tests/1"))
        let response = try client.get(url: try server.url("/headers"), headers: [("X-Custom", "v1"), ("X-Empty", "")])
        XCTAssertEqual(response.headers["x-mixed-case"], "Value")
        XCTAssertEqual(response.headers["content-type"], "application/json")
        XCTAssertNil(response.headers["X-Mixed-Case"])
        let received = try jsonObject(response.body)
        XCTAssertEqual(received["x-custom"] as? String, "v1")
        XCTAssertEqual(received["x-empty"] as? String, "")
        XCTAssertEqual(received["user-agent"] as? String, "http-tests/1")
    }

    func testGzipBodiesAreDecompressedTransparentlyAndGzipIsAdvertised() throws {
        let response = try HTTPClient().get(url: try server.url("/gzip"))
        let expected = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 2000)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), expected)
        XCTAssertEqual(response.header("content-encoding"), "gzip")
        XCTAssertLessThan(Int(response.header("content-length") ?? "") ?? .max, response.body.count)
        XCTAssertTrue(response.header("x-received-accept-encoding")?.contains("gzip") ?? false)
    }

    func testWithoutGzipNoAcceptEncodingIsSent() throws {
        let client = HTTPClient(configuration: .init(acceptGzip: false))
        let received = try jsonObject(client.get(url: try server.url("/headers")).body)
        XCTAssertNil(received["accept-encoding"])
    }

    func testConsecutiveRequestsReuseTheConnection() throws {
        let client = HTTPClient()
        let first = try jsonObject(client.get(url: try server.url("/connection")).body)
        _ = try client.post(url: try server.url("/echo"), body: Data("between".utf8))
        let third = try jsonObject(client.get(url: try server.url("/connection")).body)
        XCTAssertEqual(first["client_port"] as? Int, third["client_port"] as? Int)
        XCTAssertEqual(first["request_number"] as? Int, 1)
        XCTAssertEqual(third["request_number"] as? Int, 3)
    }

    func testSeparateClientsUseSeparateConnections() throws {
        let first = try jsonObject(HTTPClient().get(url: try server.url("/connection")).body)
        let second = try jsonObject(HTTPClient().get(url: try server.url("/connection")).body)
        XCTAssertNotEqual(first["client_port"] as? Int, second["client_port"] as? Int)
        XCTAssertEqual(second["request_number"] as? Int, 1)
    }

    func testClientsOnSeveralThreadsWorkIndependently() throws {
        let url = try server.url("/connection")
        let workers = 4
        nonisolated(unsafe) let ports = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
        defer { ports.deallocate() }
        ports.initialize(repeating: 0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let client = HTTPClient()
            var seen: Set<Int> = []
            for _ in 0..<5 {
                guard let answer = try? JSONSerialization.jsonObject(with: client.get(url: url).body) as? [String: Any],
                    let port = answer["client_port"] as? Int
                else { return }
                seen.insert(port)
            }
            ports[worker] = seen.count == 1 ? seen.first! : -1
        }
        XCTAssertFalse(ports.contains(0), "every worker's requests succeed")
        XCTAssertFalse(ports.contains(-1), "each worker keeps its one connection")
        XCTAssertEqual(Set(ports).count, workers, "each worker has a connection of its own")
    }

    func testA30MegabyteBodyArrivesWhole() throws {
        let size = 30 * 1024 * 1024
        let started = Date()
        let response = try HTTPClient().get(url: try server.url("/large?bytes=\(size)"))
        let seconds = Date().timeIntervalSince(started)
        assertPatternBody(response.body, count: size)
        print("30 MB body over loopback in \(String(format: "%.2f", seconds)) s")
    }

    func testAChunkedBodyWithoutContentLengthArrivesWhole() throws {
        let size = 3_000_000
        assertPatternBody(try HTTPClient().get(url: try server.url("/chunked?bytes=\(size)")).body, count: size)
    }

    func testStreamingDeliversTheBodyInChunks() throws {
        let size = 5_000_000
        var received = Data()
        var chunks = 0
        let head = try HTTPClient().stream(HTTPRequest(method: .get, url: try server.url("/large?bytes=\(size)"))) { chunk in
            chunks += 1
            received.append(chunk)
        }
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), String(size))
        XCTAssertGreaterThan(chunks, 1)
        assertPatternBody(received, count: size)
    }

    func testStreamingAPostWorks() throws {
        var received = Data()
        let request = HTTPRequest(method: .post, url: try server.url("/echo"), body: Data("streamed".utf8))
        _ = try HTTPClient().stream(request) { received.append($0) }
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "streamed")
    }

    func testStreamingDoesNotDeliverAnErrorBody() throws {
        var chunks = 0
        let error = httpError(
            try HTTPClient().stream(HTTPRequest(method: .get, url: try server.url("/status/503"))) { _ in
                chunks += 1
            })
        guard case .badStatus(_, let status, let bodyPrefix, _)? = error else {
            return XCTFail("expected badStatus, got \(String(describing: error))")
        }
        XCTAssertEqual(status, 503)
        XCTAssertEqual(bodyPrefix, "status 503 body: server says no")
        XCTAssertEqual(chunks, 0)
    }

    func testAnErrorThrownWhileStreamingAbortsAndIsRethrownUnchanged() throws {
        struct ConsumerStopped: Error, Equatable {}
        let client = HTTPClient()
        XCTAssertThrowsError(
            try client.stream(HTTPRequest(method: .get, url: try server.url("/large?bytes=5000000"))) { _ in
                throw ConsumerStopped()
            }
        ) { error in
            XCTAssertEqual(error as? ConsumerStopped, ConsumerStopped())
        }
        XCTAssertEqual(try client.get(url: try server.url("/connection")).status, 200, "the client must stay usable")
    }

    func testSendReturnsAnyStatusWithoutThrowing() throws {
        let response = try HTTPClient().send(HTTPRequest(method: .get, url: try server.url("/status/404")))
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "status 404 body:\n  server says   no")
    }

    func testTheProxyFromTheEnvironmentIsUsed() throws {
        let proxy = try server.url("")
        setenv("http_proxy", proxy, 1)
        defer { unsetenv("http_proxy") }
        // The loopback server plays the proxy; example.invalid is never resolved here.
        let response = try HTTPClient().get(url: "http://example.invalid/through-proxy")
        XCTAssertEqual(try jsonObject(response.body)["proxied_url"] as? String, "http://example.invalid/through-proxy")
    }

    func testTLSWithTheServersCertificateAsCAFile() throws {
        let server = try tlsServer
        let client = HTTPClient(configuration: .init(caFile: server.certificatePath))
        let first = try jsonObject(client.get(url: server.tlsURL("/connection")).body)
        let second = try jsonObject(client.get(url: server.tlsURL("/connection")).body)
        XCTAssertEqual(second["request_number"] as? Int, 2, "TLS connections are reused too")
        XCTAssertEqual(first["client_port"] as? Int, second["client_port"] as? Int)
    }

    func testTLSWithVerificationTurnedOff() throws {
        let server = try tlsServer
        let client = HTTPClient(configuration: .init(verifyTLS: false))
        XCTAssertEqual(try client.get(url: server.tlsURL("/connection")).status, 200)
    }
}
