import HTTP
import XCTest

/// Starts one http_test_server.py for the test class and stops it when the class is done.
class LoopbackServerTestCase: XCTestCase {
    nonisolated(unsafe) private static var running: Result<HTTPTestServer, Error>?

    override class func setUp() {
        super.setUp()
        running = Result { try HTTPTestServer() }
    }

    override class func tearDown() {
        if case .success(let server)? = running { server.stop() }
        running = nil
        super.tearDown()
    }

    var server: HTTPTestServer {
        get throws {
            guard let running = Self.running else { throw XCTSkip("the test server was not started") }
            return try running.get()
        }
    }

    /// A server with a TLS port, or a skip when openssl could not make its certificate.
    var tlsServer: HTTPTestServer {
        get throws {
            let server = try server
            guard server.tlsPort != 0, server.certificatePath != nil else {
                throw XCTSkip("openssl is not available to make the TLS test certificate")
            }
            return server
        }
    }

    /// The HTTPError that `expression` throws; fails the test when it returns or throws anything else.
    func httpError<T>(_ expression: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> HTTPError? {
        do {
            let value = try expression()
            XCTFail("expected an HTTPError, got \(value)", file: file, line: line)
        } catch let error as HTTPError {
            return error
        } catch {
            XCTFail("expected an HTTPError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
