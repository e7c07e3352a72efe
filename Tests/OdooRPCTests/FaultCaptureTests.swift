import ETLModel
import Foundation
import OdooRPC
import TestSupport
import XCTest
import XMLRPC

/// Every fault capture of a real Odoo, served over HTTP, becomes its typed OdooError with a
/// message that names the call, the server and what to do.
final class FaultCaptureTests: ReplayTestCase {
    func testWrongPasswordOnAuthenticateIsLoginFailed() throws {
        try server.enqueueCapture("authenticate_bad_password")
        let client = client(password: "wrong")
        let error = try XCTUnwrap(odooError(try client.authenticate()))
        guard case .loginFailed(let login, let database) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(login, "admin")
        XCTAssertEqual(database, "odoo_demo")
        XCTAssertFalse(error.isRetryable)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertTrue(error.description.contains("login failed for user admin on database odoo_demo"), error.description)
        XCTAssertTrue(error.description.contains("ODOO password / API key"), error.description)
        XCTAssertTrue(error.description.contains("common.authenticate on \(server.url)"), error.description)
        XCTAssertEqual(server.requests, [try Captures.request18("authenticate_bad_password")], "sent byte for byte as Python does")
        XCTAssertNil(client.uid)
    }

    func testUnknownDatabaseHasItsOwnMessage() throws {
        try server.enqueueCapture("authenticate_bad_db")
        let error = try XCTUnwrap(odooError(try client(database: "no_such_db").authenticate()))
        guard case .unknownDatabase(let name) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(name, "no_such_db")
        XCTAssertTrue(error.description.contains("the database no_such_db does not exist"), error.description)
        XCTAssertTrue(error.description.contains("Check the ODOO database name"), error.description)
        XCTAssertFalse(error.description.contains("Traceback"), "the traceback stays out of the message")
        XCTAssertEqual(server.requests, [try Captures.request18("authenticate_bad_db")])
    }

    func testAccessDeniedOnExecuteKwIsBadCredentials() throws {
        try server.enqueueCapture("authenticate_ok", "execute_kw_bad_password")
        let error = try XCTUnwrap(odooError(try client(password: "wrong").searchCount(model: "hr.expense")))
        guard case .badCredentials(let login, let database) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual([login, database], ["admin", "odoo_demo"])
        XCTAssertEqual(error.model, "hr.expense")
        XCTAssertEqual(error.method, "search_count")
        XCTAssertFalse(error.isRetryable)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertTrue(error.description.contains("Odoo hr.expense.search_count on \(server.url) (database odoo_demo)"), error.description)
        XCTAssertTrue(error.description.contains("Check ODOO password / API key"), error.description)
        XCTAssertEqual(server.requests.last, try Captures.request18("execute_kw_bad_password"))
    }

    func testUnknownModelNamesTheModel() throws {
        try server.enqueueCapture("authenticate_ok", "fault_unknown_model")
        let client = client()
        let error = try XCTUnwrap(
            odooError(
                try client.executeKw(
                    model: "x.no.such.model", method: "search_read",
                    args: [OdooDomain.all.xmlrpcValue])))
        guard case .missingModel(let name) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(name, "x.no.such.model")
        XCTAssertTrue(error.description.contains("the model x.no.such.model does not exist on this database"), error.description)
        XCTAssertEqual(server.requests.last, try Captures.request18("fault_unknown_model"))
    }

    func testOdoo19MissingExpenseSheetIsMissingModel() throws {
        server.enqueueValue(2)
        server.enqueue(.xml(try TestPaths.odoo19Capture("09_xmlrpc_hr_expense_sheet_missing.response.xml")))
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "hr.expense.sheet")))
        guard case .missingModel(let name) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(name, "hr.expense.sheet")
        XCTAssertTrue(error.description.contains("Odoo 19 removed hr.expense.sheet"), error.description)
    }

    func testBadDomainIsServerErrorWithTheTracebacksLastLine() throws {
        try server.enqueueCapture("authenticate_ok", "fault_bad_domain")
        let domain = OdooDomain.leaf("id", "~~", 1)
        let error = try XCTUnwrap(
            odooError(
                try client().executeKw(
                    model: "hr.expense", method: "search_read", args: [domain.xmlrpcValue],
                    kwargs: XMLRPCStruct([("fields", ["id"])]))))
        guard case .serverError(let code, let lastLine) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(code, 1)
        XCTAssertEqual(lastLine, "ValueError: Invalid leaf ('id', '~~', 1)")
        XCTAssertFalse(error.isRetryable)
        XCTAssertTrue(error.description.contains("server error (fault 1): ValueError: Invalid leaf ('id', '~~', 1)"), error.description)
        XCTAssertTrue(error.description.contains("hr.expense.search_read"), error.description)
        XCTAssertEqual(server.requests.last, try Captures.request18("fault_bad_domain"))
    }

    func testUnknownFieldIsServerErrorNamingTheField() throws {
        try server.enqueueCapture("authenticate_ok", "fault_unknown_field")
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "hr.expense", domain: .leaf("no_such_field", "=", 1))))
        guard case .serverError(_, let lastLine) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(lastLine, "ValueError: Invalid field hr.expense.no_such_field in leaf ('no_such_field', '=', 1)")
    }

    func testAccessRuleFaultIsAccessRule() throws {
        server.enqueueValue(2)
        let message =
            "You are not allowed to access 'Expense' (hr.expense) records.\n\nThis operation is allowed for the following groups:\n\t- Expenses/Team Approver"
        server.enqueue(.xml(XMLRPCEncoder.methodResponse(.fault(XMLRPCFault(code: 4, string: message)))))
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "hr.expense")))
        guard case .accessRule(let detail) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(
            detail,
            "You are not allowed to access 'Expense' (hr.expense) records. This operation is allowed for the following groups: - Expenses/Team Approver"
        )
        XCTAssertFalse(error.isRetryable)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertTrue(error.description.contains("Give the user read access"), error.description)
    }

    func testUserErrorKeepsOdoosMessage() throws {
        server.enqueueValue(2)
        server.enqueue(
            .xml(XMLRPCEncoder.methodResponse(.fault(XMLRPCFault(code: 2, string: "Record does not exist or has been deleted.")))))
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "hr.expense")))
        guard case .userError(let message) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertEqual(message, "Record does not exist or has been deleted.")
    }

    func testNoMessageOrDescriptionEverHoldsThePassword() throws {
        let secret = "s3cr3t-API-key-0042"
        server.enqueueValue(false)
        let settings = OdooConnectionSettings(
            url: "http://etl:\(secret)@127.0.0.1:\(server.port)/", database: "odoo_demo",
            login: "etl", password: secret)
        let client = OdooClient(settings: settings, retryPolicy: .none)
        let error = try XCTUnwrap(odooError(try client.authenticate()))
        var dumped = ""
        dump(settings, to: &dumped)
        for text in [error.description, String(describing: error), "\(settings)", String(reflecting: settings), dumped] {
            XCTAssertFalse(text.contains(secret), text)
        }
        XCTAssertTrue(error.description.contains("http://etl:***@127.0.0.1:\(server.port)"), error.description)
        XCTAssertTrue(String(reflecting: settings).contains("password: ***"))
    }
}
