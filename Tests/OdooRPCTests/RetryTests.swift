import ETLModel
import Foundation
import HTTP
import OdooRPC
import TestSupport
import XCTest
import XMLRPC

/// Transient failures of read calls are retried with bounded exponential backoff; everything
/// else fails at once. The failures are real: statuses, dropped connections, cut bodies, timeouts.
final class RetryTests: ReplayTestCase {
    func testBackoffDoublesUpToTheCeilingWithBoundedJitter() {
        let exact = RetryPolicy(maxAttempts: 8, initialBackoff: 1, maxBackoff: 5, jitter: 0, sleep: { _ in })
        XCTAssertEqual((1...5).map { exact.backoff(beforeRetry: $0) }, [1, 2, 4, 5, 5])
        let low = RetryPolicy(initialBackoff: 2, maxBackoff: 30, jitter: 0.25, sleep: { _ in }, random: { 0 })
        let high = RetryPolicy(initialBackoff: 2, maxBackoff: 30, jitter: 0.25, sleep: { _ in }, random: { 0.999_999 })
        XCTAssertEqual(low.backoff(beforeRetry: 2), 3, accuracy: 1e-9)
        XCTAssertEqual(high.backoff(beforeRetry: 2), 5, accuracy: 1e-5)
        XCTAssertEqual(RetryPolicy.none.maxAttempts, 1)
    }

    func testGatewayErrorsAreRetriedUntilTheCallSucceeds() throws {
        server.enqueue(.status(502), .status(504))
        try server.enqueueCapture("authenticate_ok")
        XCTAssertEqual(try client().authenticate(), 2)
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(sleeps.waits, [0.5, 1])
    }

    func testPersistentOverloadGivesUpAfterMaxAttempts() throws {
        server.enqueue(.status(503), .status(503), .status(503), .status(503), .status(503))
        let error = try XCTUnwrap(odooError(try client(maxAttempts: 4).version()))
        guard case .http(let http) = error.kind, case .badStatus(_, 503, _, _) = http else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(error.isRetryable, "the caller may try the unit again later")
        XCTAssertEqual(error.attempts, 4)
        XCTAssertEqual(server.requests.count, 4)
        XCTAssertEqual(sleeps.waits, [0.5, 1, 2])
        XCTAssertTrue(error.description.contains("answered HTTP 503"), error.description)
        XCTAssertTrue(error.description.contains("Gave up after 4 attempts."), error.description)
    }

    func testOtherStatusesFailFast() throws {
        server.enqueue(.status(404))
        let error = try XCTUnwrap(odooError(try client().version()))
        XCTAssertFalse(error.isRetryable)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertEqual(sleeps.waits, [])
    }

    /// Attempts to spare: on a busy machine the client may also meet the dropped connection
    /// before it notices the close (an attempt the server never sees), which is retried the same way.
    func testDroppedConnectionsAndCutBodiesAreRetried() throws {
        let answer = try Captures.response18("authenticate_ok")
        server.enqueue(.drop, .partial(answer, keep: 40), .cut(answer, keep: 60))
        try server.enqueueCapture("authenticate_ok")
        XCTAssertEqual(try client(maxAttempts: 8).authenticate(), 2)
        XCTAssertEqual(server.requests.count, 4, "each failure was answered once, then the answer")
    }

    func testEachTransientFailureHasItsTypedError() throws {
        let answer = try Captures.response18("authenticate_ok")
        server.enqueue(.drop, .partial(answer, keep: 40), .cut(answer, keep: 60))
        let drop = try XCTUnwrap(odooError(try client(maxAttempts: 1).authenticate()))
        guard case .http(.emptyReply) = drop.kind else { return XCTFail("\(drop.kind)") }
        let partial = try XCTUnwrap(odooError(try client(maxAttempts: 1).authenticate()))
        guard case .http(.partialBody(_, 40, _)) = partial.kind else { return XCTFail("\(partial.kind)") }
        let cut = try XCTUnwrap(odooError(try client(maxAttempts: 1).authenticate()))
        guard case .unreadableResponse(let decoding) = cut.kind, case .truncated = decoding.reason else { return XCTFail("\(cut.kind)") }
        for error in [drop, partial, cut] {
            XCTAssertTrue(error.isRetryable, error.description)
            XCTAssertTrue(error.description.contains("common.authenticate on \(server.url)"), error.description)
        }
    }

    func testSlowAnswerPastTheTimeoutIsRetried() throws {
        let answer = try Captures.response18("authenticate_ok")
        server.enqueue(.delayed(2.5, .xml(answer)), .xml(answer))
        XCTAssertEqual(try client(requestTimeout: 1).authenticate(), 2)
        XCTAssertEqual(server.requests.count, 2, "the first attempt was abandoned at the timeout and sent again")
        XCTAssertEqual(sleeps.waits.count, 1, "one retry")
    }

    func testTimeoutIsATypedRetryableError() throws {
        server.enqueue(.delayed(2, .xml(try Captures.response18("authenticate_ok"))))
        let error = try XCTUnwrap(odooError(try client(maxAttempts: 1, requestTimeout: 0.5).authenticate()))
        guard case .http(.totalTimeout) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(error.isRetryable)
    }

    func testAnHTMLPageWithStatus200IsRetriedOnlyOnce() throws {
        server.enqueue(.htmlPage, .htmlPage, .htmlPage, .htmlPage)
        let error = try XCTUnwrap(odooError(try client(maxAttempts: 4).version()))
        XCTAssertTrue(error.isHTMLPage)
        XCTAssertEqual(error.attempts, 2)
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertTrue(error.description.contains("HTML page"), error.description)
        XCTAssertEqual(sleeps.waits, [0.5])
    }

    func testAnHTMLPageThenTheAnswerSucceeds() throws {
        server.enqueue(.htmlPage)
        try server.enqueueCapture("version")
        XCTAssertEqual(try client().version().major, 18)
    }

    func testCallsThatMayWriteAreNeverRetried() throws {
        server.enqueueValue(2)
        server.enqueue(.status(502), .xml(XMLRPCEncoder.methodResponse(.value(true))))
        let error = try XCTUnwrap(
            odooError(
                try client().executeKw(
                    model: "hr.expense", method: "write",
                    args: [[1], ["name": "x"]])))
        XCTAssertEqual(error.attempts, 1)
        XCTAssertTrue(error.isRetryable, "retryable in itself; the caller decides whether a write may be repeated")
        XCTAssertEqual(server.requests.count, 2)
    }

    func testFaultsAreNotRetriedExceptSerializationFailures() throws {
        try server.enqueueCapture("authenticate_ok", "execute_kw_bad_password")
        XCTAssertEqual(odooError(try client().searchCount(model: "hr.expense"))?.attempts, 1)

        let conflict =
            "Traceback (most recent call last):\n  ...\npsycopg2.errors.SerializationFailure: could not serialize access due to concurrent update\n"
        server.enqueueValue(2)
        server.enqueue(.xml(XMLRPCEncoder.methodResponse(.fault(XMLRPCFault(code: 1, string: conflict)))))
        server.enqueueValue(16)
        XCTAssertEqual(try client().searchCount(model: "hr.expense"), 16)
    }

    func testRefusedConnectionIsRetryableAndNamesTheServer() throws {
        let client = client(maxAttempts: 2)
        server.stop()
        let error = try XCTUnwrap(odooError(try client.version()))
        guard case .http(.couldNotConnect) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(error.attempts, 2)
        XCTAssertTrue(error.description.contains(server.url), error.description)
    }
}
