import ETLModel
import Foundation
import OdooRPC
import TestSupport
import XCTest
import XMLRPC

/// The client's calls over real HTTP against recorded Odoo answers; where the capture holds the
/// request Python's client sent, the client must send the same bytes.
final class ClientReplayTests: ReplayTestCase {
    func testVersionOfOdoo18And19() throws {
        try server.enqueueCapture("version")
        server.enqueue(.xml(try TestPaths.odoo19Capture("01_xmlrpc_common_version.response.xml")))
        let client = client()
        let v18 = try client.version()
        XCTAssertEqual(v18.serverVersion, "18.0-20250506")
        XCTAssertEqual(v18.serverVersionInfo, [18, 0, 0, "final", 0, ""])
        XCTAssertEqual(v18.major, 18)
        XCTAssertEqual(v18.minor, 0)
        XCTAssertEqual(v18.serverSerie, "18.0")
        XCTAssertEqual(v18.protocolVersion, 1)
        let v19 = try client.version()
        XCTAssertEqual(v19.major, 19)
        XCTAssertEqual(server.requests.first, try Captures.request18("version"))
    }

    func testSaasVersionInfoStillGivesTheMajorVersion() {
        let saas = OdooServerVersion(serverVersion: "saas~17.4+e", serverVersionInfo: ["saas~17", 4, 0, "final", 0, "e"])
        XCTAssertEqual(saas.major, 17)
        XCTAssertEqual(saas.minor, 4)
    }

    func testAuthenticateReturnsTheUidAndSendsWhatPythonSends() throws {
        try server.enqueueCapture("authenticate_ok")
        let client = client()
        XCTAssertEqual(try client.authenticate(), 2)
        XCTAssertEqual(client.uid, 2)
        XCTAssertEqual(server.requests, [try Captures.request18("authenticate_ok")])
    }

    func testModelCallsAuthenticateOnceThenCarryUidAndPassword() throws {
        try server.enqueueCapture("authenticate_ok", "search_count_hr_expense", "search_count_hr_expense")
        let client = client()
        XCTAssertEqual(try client.searchCount(model: "hr.expense"), 16)
        XCTAssertEqual(try client.searchCount(model: "hr.expense"), 16)
        let requests = server.requests
        XCTAssertEqual(requests.count, 3, "one authenticate, then two calls")
        XCTAssertEqual(requests[1], try Captures.request18("search_count_hr_expense"))
        XCTAssertEqual(client.requestCount, 3)
    }

    func testSearchReadIsTypedAndSentAsThePageCapture() throws {
        try server.enqueueCapture("authenticate_ok", "fields_get_hr_expense", "search_read_hr_expense_page1")
        let fields = [
            "id", "name", "employee_id", "product_id", "quantity", "price_unit", "total_amount_currency", "total_amount",
            "untaxed_amount_currency", "tax_amount", "currency_id", "company_currency_id", "date", "state", "sheet_id",
            "payment_mode", "company_id", "analytic_distribution", "description", "create_date", "write_date",
            "accounting_date",
        ]
        let records = try client().searchRead(
            model: "hr.expense", fields: fields, order: "write_date asc, id asc", limit: 8,
            context: OdooContext(activeTest: false))
        XCTAssertEqual(records.count, 8)
        XCTAssertEqual(records[0]["employee_id"], .many2one(id: 1, name: "Mitchell Admin"))
        XCTAssertEqual(server.requests.last, try Captures.request18("search_read_hr_expense_page1"))
        let fieldsGet = try server.calls()[1]
        XCTAssertEqual(fieldsGet.params[4], "fields_get")
        XCTAssertEqual(fieldsGet.params[6][member: "attributes"], ["type", "string", "relation", "store", "company_dependent", "digits"])
    }

    func testEmptySearchReadAndFieldsGetIsCachedPerClient() throws {
        try server.enqueueCapture("authenticate_ok", "fields_get_hr_expense", "search_read_empty", "search_read_empty")
        let client = client()
        XCTAssertEqual(try client.searchRead(model: "hr.expense", domain: .leaf("id", "<", 0), fields: ["id"]), [])
        XCTAssertEqual(try client.searchRead(model: "hr.expense", domain: .leaf("id", "<", 0), fields: ["id"]), [])
        XCTAssertEqual(server.requests.count, 4, "fields_get is asked once")
        XCTAssertEqual(server.requests[2], try Captures.request18("search_read_empty"))
    }

    func testReadGroupIsSentAsTheCaptureAndTyped() throws {
        try server.enqueueCapture("authenticate_ok", "fields_get_hr_expense", "read_group_hr_expense")
        let groups = try client().readGroup(model: "hr.expense", fields: ["total_amount:sum"], groupBy: ["company_id"])
        XCTAssertEqual(
            groups,
            [
                OdooGroup(
                    count: 16,
                    values: [
                        "company_id": .many2one(id: 1, name: "YourCompany"),
                        "total_amount": .float(5246.91),
                    ])
            ])
        XCTAssertEqual(server.requests.last, try Captures.request18("read_group_hr_expense"))
    }

    func testReadTypesTheRecordsAndSendsIdsAndFields() throws {
        try server.enqueueCapture("authenticate_ok", "fields_get_hr_expense")
        server.enqueueValue([["id": 7, "name": "Lunch", "sheet_id": false, "date": "2026-04-03"]])
        let records = try client().read(
            model: "hr.expense", ids: [7], fields: ["name", "sheet_id", "date"],
            context: .extraction(companyID: 1))
        XCTAssertEqual(
            records,
            [
                OdooRecord(
                    id: 7,
                    fields: [
                        "name": .string("Lunch"), "sheet_id": .null,
                        "date": .date(OdooDate(year: 2026, month: 4, day: 3)),
                    ])
            ])
        let call = try XCTUnwrap(server.calls().last)
        XCTAssertEqual(call.params[4], "read")
        XCTAssertEqual(call.params[5], [[7]])
        XCTAssertEqual(
            call.params[6],
            [
                "fields": ["name", "sheet_id", "date"],
                "context": ["active_test": false, "allowed_company_ids": [1]],
            ])
    }

    func testAllIdsPagesByIdNeverByOffset() throws {
        server.enqueueValue(2)
        server.enqueueValue([1, 2, 5])
        server.enqueueValue([8, 9, 13])
        server.enqueueValue([21])
        let ids = try client().allIds(
            model: "hr.expense", domain: .leaf("company_id", "=", 3), context: .extraction(companyID: 3),
            pageSize: 3)
        XCTAssertEqual(ids, [1, 2, 5, 8, 9, 13, 21])
        let searches = try server.calls().dropFirst()
        XCTAssertEqual(searches.count, 3)
        for (search, last) in zip(searches, [0, 5, 13] as [Int64]) {
            XCTAssertEqual(search.params[4], "search")
            let expected = OdooDomain.leaf("company_id", "=", 3) && .leaf("id", ">", .int(last))
            XCTAssertEqual(search.params[5], [expected.xmlrpcValue])
            XCTAssertEqual(
                search.params[6],
                [
                    "order": "id asc", "limit": 3,
                    "context": ["active_test": false, "allowed_company_ids": [3]],
                ])
        }
    }

    func testAnswersOfTheWrongShapeAreUnexpectedResults() throws {
        server.enqueueValue(2)
        server.enqueueValue("sixteen")
        let error = try XCTUnwrap(odooError(try client().searchCount(model: "hr.expense")))
        guard case .unexpectedResult(let detail) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(detail.contains("not a number"), detail)
        XCTAssertTrue(error.description.contains("hr.expense.search_count"), error.description)
    }
}
