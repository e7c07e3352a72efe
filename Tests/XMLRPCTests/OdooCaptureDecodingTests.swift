import Foundation
import TestSupport
import XCTest
import XMLRPC

/// Decodes the real Odoo 18 and 19 wire captures.
final class OdooCaptureDecodingTests: XCTestCase {
    func testEveryResponseCaptureDecodes() throws {
        let captures = try Wire.allResponseCaptures
        XCTAssertGreaterThanOrEqual(captures.count, 38, "expected the 27 Odoo 18 and 11 Odoo 19 XML-RPC response captures")
        var faults = 0
        for capture in captures {
            let body = try Data(contentsOf: capture)
            XCTAssertNoThrow(try XMLRPCDecoder.decodeResponse(body), capture.lastPathComponent)
            if case .fault = try? XMLRPCDecoder.decodeResponse(body) { faults += 1 }
        }
        XCTAssertEqual(faults, 6, "5 Odoo 18 faults and 1 Odoo 19 fault")
    }

    func testVersionStructKeepsMemberOrderAndTypes() throws {
        let version = try Wire.value(TestPaths.odoo18Capture("version.response.xml"))
        XCTAssertEqual(version.structValue?.names, ["server_version", "server_version_info", "server_serie", "protocol_version"])
        XCTAssertEqual(version[member: "server_version"], "18.0-20250506")
        XCTAssertEqual(version[member: "server_version_info"], [18, 0, 0, "final", 0, ""])
        XCTAssertEqual(version[member: "protocol_version"]?.intValue, 1)

        let version19 = try Wire.value(TestPaths.odoo19Capture("01_xmlrpc_common_version.response.xml"))
        XCTAssertEqual(version19[member: "server_serie"]?.stringValue, "19.0")
        XCTAssertEqual(version19[member: "server_version_info"]?[index: 0], 19)
    }

    func testAuthenticateReturnsUidOrFalse() throws {
        XCTAssertEqual(try Wire.value(TestPaths.odoo18Capture("authenticate_ok.response.xml")), .int(2))
        XCTAssertEqual(try Wire.value(TestPaths.odoo18Capture("authenticate_bad_password.response.xml")), .bool(false))
        XCTAssertEqual(try Wire.value(TestPaths.odoo19Capture("02_xmlrpc_common_authenticate.response.xml")), .int(2))
        XCTAssertEqual(try Wire.value(TestPaths.odoo19Capture("03_xmlrpc_common_authenticate_apikey.response.xml")), .int(2))
        XCTAssertEqual(try Wire.value(TestPaths.odoo19Capture("04_xmlrpc_common_authenticate_badpw.response.xml")), .bool(false))
    }

    func testFaultsCarryCodeAndString() throws {
        let cases: [(Data, Int, String)] = [
            (try TestPaths.odoo18Capture("execute_kw_bad_password.response.xml"), 3, "Access Denied"),
            (try TestPaths.odoo18Capture("fault_unknown_model.response.xml"), 2, "Object x.no.such.model doesn't exist"),
            (try TestPaths.odoo18Capture("fault_bad_domain.response.xml"), 1, "ValueError: Invalid leaf ('id', '~~', 1)"),
            (try TestPaths.odoo18Capture("fault_unknown_field.response.xml"), 1, "Invalid field hr.expense.no_such_field in leaf"),
            (try TestPaths.odoo18Capture("authenticate_bad_db.response.xml"), 1, "database \"no_such_db\" does not exist"),
            (try TestPaths.odoo19Capture("09_xmlrpc_hr_expense_sheet_missing.response.xml"), 2, "Object hr.expense.sheet doesn't exist"),
        ]
        for (body, code, phrase) in cases {
            let fault = try XCTUnwrap(try Wire.fault(body))
            XCTAssertEqual(fault.code, code, phrase)
            XCTAssertTrue(fault.string.contains(phrase), "\(phrase) not in \(fault.string.suffix(200))")
        }
        let traceback = try XCTUnwrap(try Wire.fault(TestPaths.odoo18Capture("fault_bad_domain.response.xml")))
        XCTAssertTrue(traceback.string.hasPrefix("Traceback (most recent call last):\n  File "), "whitespace inside <string> is kept")
        XCTAssertThrowsError(try XMLRPCDecoder.decodeResponse(TestPaths.odoo18Capture("execute_kw_bad_password.response.xml")).get()) {
            error in
            XCTAssertEqual(error as? XMLRPCFault, XMLRPCFault(code: 3, string: "Access Denied"))
        }
    }

    func testSearchReadExpensesPage() throws {
        let records = try XCTUnwrap(try Wire.value(TestPaths.odoo18Capture("search_read_hr_expense_page1.response.xml")).arrayValue)
        XCTAssertEqual(records.count, 8)
        XCTAssertEqual(records.map { $0[member: "id"]?.intValue }, [1, 2, 3, 4, 5, 6, 7, 8])
        let first = records[0]
        XCTAssertEqual(first.structValue?.count, 22)
        XCTAssertEqual(first[member: "name"], "Screen")
        XCTAssertEqual(first[member: "employee_id"], [1, "Mitchell Admin"], "many2one is [id, display_name]")
        XCTAssertEqual(first[member: "product_id"], [49, "[EXP_GEN] Expenses"])
        XCTAssertEqual(first[member: "untaxed_amount_currency"]?.doubleValue, 251.3)
        XCTAssertEqual(first[member: "sheet_id"], .bool(false), "an empty many2one is False")
        XCTAssertEqual(first[member: "write_date"], "2026-11-24 15:21:40")
        XCTAssertEqual(first[member: "analytic_distribution"], ["3": 100.0], "analytic_distribution is a struct keyed by account id")
        XCTAssertEqual(records[2][member: "analytic_distribution"], .bool(false))
        XCTAssertEqual(records[2][member: "quantity"], 108.84)
        XCTAssertEqual(records[5][member: "analytic_distribution"], ["11": 100.0])
        XCTAssertEqual(records[7][member: "total_amount"], 56.8)
    }

    func testSearchReadOtherModels() throws {
        let lines = try XCTUnwrap(try Wire.value(TestPaths.odoo18Capture("search_read_account_move_line.response.xml")).arrayValue)
        XCTAssertEqual(lines.count, 10)
        XCTAssertEqual(lines[0][member: "move_id"], [15, "MISC/2026/11/0001"])
        XCTAssertEqual(lines[0][member: "credit"], 2500.0)
        XCTAssertEqual(lines[0][member: "tax_ids"], [], "an empty many2many is an empty array")
        XCTAssertEqual(lines[4][member: "tax_ids"], [1])
        XCTAssertEqual(lines[4][member: "name"], "[FURN_6741] Large Meeting Table\nConference room table")

        let moves = try XCTUnwrap(try Wire.value(TestPaths.odoo18Capture("search_read_account_move.response.xml")).arrayValue)
        XCTAssertEqual(moves.count, 6)
        XCTAssertEqual(moves[0][member: "amount_total"], 36512.5)
        XCTAssertEqual(moves[0][member: "partner_id"], [15, "Azure Interior"])

        XCTAssertEqual(try Wire.value(TestPaths.odoo18Capture("search_read_empty.response.xml")), [])
        XCTAssertEqual(try Wire.value(TestPaths.odoo18Capture("search_count_hr_expense.response.xml")), 16)

        let archived = try XCTUnwrap(try Wire.value(TestPaths.odoo18Capture("search_read_res_partner_archived.response.xml")).arrayValue)
        XCTAssertEqual(archived.map { $0[member: "active"] }, [false, false, false])

        let groups = try Wire.value(TestPaths.odoo18Capture("read_group_hr_expense.response.xml"))
        XCTAssertEqual(groups[index: 0]?[member: "__count"], 16)
        XCTAssertEqual(groups[index: 0]?[member: "total_amount"], 5246.91)
        XCTAssertEqual(groups[index: 0]?[member: "__domain"], [["company_id", "=", 1]])

        let expenses19 = try XCTUnwrap(try Wire.value(TestPaths.odoo19Capture("05_xmlrpc_hr_expense_search_read.response.xml")).arrayValue)
        XCTAssertEqual(expenses19.count, 3)
        XCTAssertEqual(expenses19[0][member: "approval_state"], "submitted")
        XCTAssertEqual(expenses19[0][member: "account_move_id"], false)
        XCTAssertEqual(expenses19[0][member: "product_id"], [58, "[EXP_GEN] Expenses"])

        let models19 = try XCTUnwrap(try Wire.value(TestPaths.odoo19Capture("10_xmlrpc_ir_model_expense_models.response.xml")).arrayValue)
        XCTAssertEqual(models19.compactMap { $0[member: "model"]?.stringValue }.first, "hr.expense")
        XCTAssertEqual(models19.count, 6)
    }

    func testBinaryFieldArrivesAsBase64Text() throws {
        let partner = try XCTUnwrap(try Wire.value(TestPaths.odoo18Capture("search_read_res_partner_binary.response.xml"))[index: 0])
        XCTAssertEqual(partner[member: "company_id"], false)
        let text = try XCTUnwrap(partner[member: "image_128"]?.stringValue)
        XCTAssertEqual(text.utf8.count, 7008)
        let image = try XCTUnwrap(Data(base64Encoded: text))
        XCTAssertEqual(image.count, 5254)
        XCTAssertEqual(Array(image.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature")
    }

    func testFieldsGetStructs() throws {
        let fields = try XCTUnwrap(try Wire.value(TestPaths.odoo18Capture("fields_get_hr_expense.response.xml")).structValue)
        XCTAssertEqual(fields.count, 70)
        XCTAssertEqual(fields["analytic_distribution"]?[member: "type"], "json")
        XCTAssertEqual(fields["analytic_distribution"]?[member: "store"], true)

        let fields19 = try XCTUnwrap(try Wire.value(TestPaths.odoo19Capture("11_xmlrpc_hr_expense_fields_get.response.xml")).structValue)
        XCTAssertEqual(fields19.count, 79)
        XCTAssertNil(fields19["sheet_id"], "Odoo 19 has no sheet_id on hr.expense")
    }
}
