import ETLModel
import Foundation
import HTTP
import OdooRPC
import TestSupport
import XCTest

/// Faults the simulator injects on real HTTP exchanges: each is retried to success when it
/// passes, and becomes its typed, retryable error when it persists. Wrong credentials and a
/// missing model give their plain-language messages.
final class SimulatorFaultTests: SimulatorTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try simulator.clearFaults()
        try simulator.resetStatistics()
    }

    private func searchReadFault(_ kind: OdooSimulator.FaultKind, count: Int?) -> OdooSimulator.Fault {
        OdooSimulator.Fault(kind, count: count, service: "object", method: "search_read", model: "hr.expense")
    }

    /// A reader's first batch, through whatever fault is injected.
    private func firstBatch(_ client: OdooClient) throws -> OdooBatch? {
        try IncrementalReader(client: client, configuration: .init(model: "hr.expense", fields: ["name"], pageSize: 50)).next()
    }

    /// Injects `kind` once: the read succeeds on a retry. Then for good: the typed error, after every attempt.
    private func assertRetriedThenTyped(
        _ kind: OdooSimulator.FaultKind, maxAttempts: Int = 3, requestTimeout: TimeInterval = 60,
        file: StaticString = #filePath, line: UInt = #line,
        _ check: (OdooError) -> Void
    ) throws {
        let simulator = try simulator
        let client = try client(maxAttempts: maxAttempts, requestTimeout: requestTimeout)
        try client.authenticate()
        _ = try client.fieldsGet(model: "hr.expense")

        try simulator.inject(searchReadFault(kind, count: 1))
        let batch = try firstBatch(client)
        XCTAssertFalse(batch?.records.isEmpty ?? true, "the read went through", file: file, line: line)
        XCTAssertEqual(try simulator.statistics().faultsInjected, 1, file: file, line: line)

        try simulator.clearFaults()
        try simulator.inject(searchReadFault(kind, count: nil))
        guard let error = odooError(try firstBatch(client), file: file, line: line) else { return }
        XCTAssertTrue(error.isRetryable, error.description, file: file, line: line)
        XCTAssertEqual(error.model, "hr.expense", file: file, line: line)
        XCTAssertEqual(error.method, "search_read", file: file, line: line)
        XCTAssertTrue(
            error.description.contains(simulator.url.absoluteString.trimmingCharacters(in: ["/"])), error.description,
            file: file, line: line)
        check(error)
        try simulator.clearFaults()
    }

    func testBadGateway() throws {
        try assertRetriedThenTyped(.status(502)) { error in
            guard case .http(.badStatus(_, 502, _, _)) = error.kind else { return XCTFail("\(error.kind)") }
            XCTAssertEqual(error.attempts, 3)
        }
    }

    func testThrottlingWithRetryAfter() throws {
        try assertRetriedThenTyped(.status(429, retryAfter: 1)) { error in
            guard case .http(.badStatus(_, 429, _, _)) = error.kind else { return XCTFail("\(error.kind)") }
        }
    }

    func testSlowAnswerPastTheClientTimeout() throws {
        try assertRetriedThenTyped(.delay(seconds: 3), maxAttempts: 2, requestTimeout: 1) { error in
            guard case .http(.totalTimeout) = error.kind else { return XCTFail("\(error.kind)") }
            XCTAssertEqual(error.attempts, 2)
        }
    }

    func testDroppedConnection() throws {
        try assertRetriedThenTyped(.drop) { error in
            guard case .http(.emptyReply) = error.kind else { return XCTFail("\(error.kind)") }
        }
    }

    func testResetConnection() throws {
        try assertRetriedThenTyped(.reset) { error in
            guard case .http(let http) = error.kind else { return XCTFail("\(error.kind)") }
            switch http {
            case .connectionReset, .emptyReply: break
            default: XCTFail("\(http)")
            }
        }
    }

    func testTruncatedBody() throws {
        try assertRetriedThenTyped(.truncate(fraction: 0.5)) { error in
            guard case .http(.partialBody) = error.kind else { return XCTFail("\(error.kind)") }
        }
    }

    func testHTMLPageWithStatus200IsRetriedOnce() throws {
        try assertRetriedThenTyped(.html, maxAttempts: 4) { error in
            XCTAssertTrue(error.isHTMLPage, "\(error.kind)")
            XCTAssertEqual(error.attempts, 2, "an HTML page gets one second chance, not four")
            XCTAssertTrue(error.description.contains("HTML page"), error.description)
        }
    }

    func testWrongPasswordSaysLoginFailed() throws {
        let error = try XCTUnwrap(odooError(try client(password: "not-the-password").authenticate()))
        guard case .loginFailed = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(error.description.contains("login failed for user admin on database odoo_demo"), error.description)
        XCTAssertTrue(error.description.contains("ODOO password / API key"), error.description)
        XCTAssertFalse(error.description.contains("not-the-password"))
        XCTAssertEqual(error.attempts, 1)
    }

    func testMissingModelSaysSo() throws {
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "x.no.such.model")))
        guard case .missingModel("x.no.such.model") = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(error.description.contains("the model x.no.such.model does not exist on this database"), error.description)
        XCTAssertFalse(error.isRetryable)
    }

    func testUnknownDatabaseSaysSo() throws {
        let error = try XCTUnwrap(odooError(try client(database: "no_such_db").authenticate()))
        guard case .unknownDatabase("no_such_db") = error.kind else { return XCTFail("\(error.kind)") }
    }

    func testBadDomainFieldIsAServerErrorNamingTheField() throws {
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "hr.expense", domain: .leaf("no_such_field", "=", 1))))
        guard case .serverError(1, let lastLine) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(lastLine.contains("no_such_field"), lastLine)
    }

    func testAnotherCompanysRecordIsAnAccessRuleError() throws {
        let client = try client()
        let foreign = try client.search(model: "hr.expense", domain: .leaf("company_id", "=", 2), limit: 1, context: .extraction())
        let error = try XCTUnwrap(
            odooError(
                try client.read(
                    model: "hr.expense", ids: foreign, fields: ["name"],
                    context: .extraction(companyID: 1))))
        guard case .accessRule = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertFalse(error.isRetryable)
    }
}
