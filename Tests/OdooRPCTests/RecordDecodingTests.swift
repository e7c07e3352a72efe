import ETLModel
import OdooRPC
import TestSupport
import XCTest
import XMLRPC

/// Records of real Odoo 18/19 answers, typed with the same server's fields_get.
final class RecordDecodingTests: XCTestCase {
    func testFieldsGetOfHrExpenseGivesTypesLabelsRelationsAndStorage() throws {
        let fields = try Captures.fields18("hr_expense")
        XCTAssertEqual(fields.count, 70)
        let employee = try XCTUnwrap(fields["employee_id"])
        XCTAssertEqual(employee.type, .many2one)
        XCTAssertEqual(employee.relation, "hr.employee")
        XCTAssertEqual(employee.label, "Employee")
        XCTAssertTrue(employee.stored)
        XCTAssertEqual(fields["total_amount"]?.type, .monetary)
        XCTAssertEqual(fields["analytic_distribution"]?.type, .json)
        XCTAssertEqual(fields["tax_ids"]?.type, .many2many)
        XCTAssertEqual(fields["tax_ids"]?.relation, "account.tax")
        XCTAssertEqual(fields["write_date"]?.type, .datetime)
        XCTAssertEqual(fields["analytic_precision"]?.stored, false)
        XCTAssertNil(fields["total_amount"]?.relation)
        XCTAssertTrue(fields.values.allSatisfy { $0.type != nil }, "every Odoo 18 hr.expense type is known")
    }

    func testHrExpensePageIsTypedByFieldsGet() throws {
        let decoder = OdooRecordDecoder(fields: try Captures.fields18("hr_expense"))
        let records = try decoder.records(from: Captures.value18("search_read_hr_expense_page1"))
        XCTAssertEqual(records.map(\.id), Array(1...8))

        let screen = records[0]
        XCTAssertEqual(screen["name"], .string("Screen"))
        XCTAssertEqual(screen["employee_id"], .many2one(id: 1, name: "Mitchell Admin"))
        XCTAssertEqual(screen["product_id"], .many2one(id: 49, name: "[EXP_GEN] Expenses"))
        XCTAssertEqual(screen["quantity"], .float(1.0))
        XCTAssertEqual(screen["total_amount"], .float(289.0))
        XCTAssertEqual(screen["untaxed_amount_currency"], .float(251.3))
        XCTAssertEqual(screen["date"], .date(OdooDate(year: 2026, month: 4, day: 3)))
        XCTAssertEqual(screen["state"], .string("draft"))
        XCTAssertEqual(screen["payment_mode"], .string("own_account"))
        XCTAssertEqual(screen["analytic_distribution"], .json(#"{"3":100.0}"#))
        XCTAssertEqual(screen.writeDate, OdooDateTime("2026-11-24 15:21:40"))
        XCTAssertEqual(screen["create_date"], .datetime(try XCTUnwrap(OdooDateTime("2026-11-24 15:21:40"))))

        // False of a many2one, a text and a date field is NULL, not `false`.
        XCTAssertEqual(screen["sheet_id"], .null)
        XCTAssertEqual(screen["description"], .null)
        XCTAssertEqual(screen["accounting_date"], .null)
        XCTAssertEqual(records[2]["analytic_distribution"], .null)
        XCTAssertEqual(records[4]["sheet_id"], .many2one(id: 1, name: "Commercial Travel at New York"))
        XCTAssertEqual(records[5]["analytic_distribution"], .json(#"{"11":100.0}"#))
        XCTAssertEqual(records[5]["tax_amount"], .float(260.87))
    }

    func testJournalItemsKeepMany2manyIdsAndEmptyJSONAsNull() throws {
        let decoder = OdooRecordDecoder(fields: try Captures.fields18("account_move_line"))
        let lines = try decoder.records(from: Captures.value18("search_read_account_move_line"))
        XCTAssertEqual(lines.count, 10)
        let first = lines[0]
        XCTAssertEqual(first["move_id"], .many2one(id: 15, name: "MISC/2026/11/0001"))
        XCTAssertEqual(first["tax_ids"], .ids([]))
        XCTAssertEqual(first["name"], .null)
        XCTAssertEqual(first["tax_line_id"], .null)
        XCTAssertEqual(first["analytic_distribution"], .null)
        XCTAssertEqual(first["debit"], .float(0))
        XCTAssertEqual(first["credit"], .float(2500))
        XCTAssertEqual(first["balance"], .float(-2500))
        XCTAssertEqual(first["parent_state"], .string("posted"))
        XCTAssertTrue(
            lines.contains { if case .ids(let ids) = $0["tax_ids"] { return !ids.isEmpty } else { return false } },
            "some journal item carries taxes")
    }

    func testBinaryIsBase64TextAndBooleansStayBooleans() throws {
        let decoder = OdooRecordDecoder(fields: try Captures.fields18("res_partner"))
        let partner = try XCTUnwrap(decoder.records(from: Captures.value18("search_read_res_partner_binary")).first)
        guard case .string(let image) = partner["image_128"] else {
            return XCTFail("image_128 is \(partner["image_128"])")
        }
        XCTAssertTrue(image.hasPrefix("iVBORw0KGgo"), "base64 of a PNG")
        XCTAssertNotNil(Data(base64Encoded: image))
        XCTAssertEqual(partner["company_id"], .null)
        XCTAssertEqual(partner["vat"], .null)
        XCTAssertEqual(partner["active"], .bool(true))

        let archived = try decoder.records(from: Captures.value18("search_read_res_partner_archived"))
        XCTAssertEqual(archived.first?["active"], .bool(false), "False of a boolean field is false, not NULL")
    }

    func testOdoo19ExpensesDecodeWithOdoo19FieldsGet() throws {
        let fields = try OdooField.fields(fromFieldsGet: Captures.value19("11_xmlrpc_hr_expense_fields_get"))
        XCTAssertNil(fields["sheet_id"])
        XCTAssertEqual(fields["account_move_id"]?.type, .many2one)
        let records = try OdooRecordDecoder(fields: fields).records(from: Captures.value19("05_xmlrpc_hr_expense_search_read"))
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[0]["approval_state"], .string("submitted"))
        XCTAssertEqual(records[0]["account_move_id"], .null)
        XCTAssertEqual(records[0]["product_id"], .many2one(id: 58, name: "[EXP_GEN] Expenses"))
        XCTAssertEqual(records[0].writeDate, OdooDateTime("2026-11-24 16:17:19"))
    }

    func testIntegersAboveInt32SentAsDoublesComeBackExact() throws {
        let fields = [
            "big": OdooField(name: "big", typeName: "integer"),
            "partner_id": OdooField(name: "partner_id", typeName: "many2one"),
            "line_ids": OdooField(name: "line_ids", typeName: "one2many"),
        ]
        let body = """
            <?xml version="1.0"?><methodResponse><params><param><value><array><data><value><struct>
            <member><name>id</name><value><double>3000000001.0</double></value></member>
            <member><name>big</name><value><double>9007199254740993.0</double></value></member>
            <member><name>partner_id</name><value><array><data><value><double>2147483648.0</double></value><value><string>Big</string></value></data></array></value></member>
            <member><name>line_ids</name><value><array><data><value><int>7</int></value><value><double>4294967296.0</double></value></data></array></value></member>
            </struct></value></data></array></value></param></params></methodResponse>
            """
        let records = try OdooRecordDecoder(fields: fields).records(from: XMLRPCDecoder.decodeResponse(Data(body.utf8)).get())
        let record = try XCTUnwrap(records.first)
        XCTAssertEqual(record.id, 3_000_000_001)
        // 2^53 + 1 is not a double: the nearest one is 2^53 + 0, which is what arrives.
        XCTAssertEqual(record["big"], .int(9_007_199_254_740_992))
        XCTAssertEqual(record["partner_id"], .many2one(id: 2_147_483_648, name: "Big"))
        XCTAssertEqual(record["line_ids"], .ids([7, 4_294_967_296]))
    }

    func testUnknownTypesAndMismatchedValuesAreKeptBestEffort() throws {
        let fields = [
            "x_future": OdooField(name: "x_future", typeName: "vector"),
            "date": OdooField(name: "date", typeName: "date"),
            "amount": OdooField(name: "amount", typeName: "monetary"),
            "count": OdooField(name: "count", typeName: "integer"),
        ]
        let raw: XMLRPCValue = [
            "id": 5,
            "x_future": ["b": [1, 2], "a": "x"],
            "date": "April 2026",
            "amount": 12,
            "count": .double(2.5),
            "unlisted_pair": [3, "Three"],
            "unlisted_ids": [3, 4],
            "unlisted_mixed": [1, "a", true],
            "unlisted_nil": .nil,
            "unlisted_stamp": .dateTime("20261124T15:21:40"),
            "unlisted_bytes": .base64(Data([1, 2, 3])),
        ]
        let record = try OdooRecordDecoder(fields: fields).record(from: raw)
        XCTAssertEqual(record["x_future"], .json(#"{"a":"x","b":[1,2]}"#))
        XCTAssertEqual(record["date"], .string("April 2026"))
        XCTAssertEqual(record["amount"], .float(12))
        XCTAssertEqual(record["count"], .float(2.5))
        XCTAssertEqual(record["unlisted_pair"], .many2one(id: 3, name: "Three"))
        XCTAssertEqual(record["unlisted_ids"], .ids([3, 4]))
        XCTAssertEqual(record["unlisted_mixed"], .json(#"[1,"a",true]"#))
        XCTAssertEqual(record["unlisted_nil"], .null)
        XCTAssertEqual(record["unlisted_stamp"], .datetime(try XCTUnwrap(OdooDateTime("2026-11-24 15:21:40"))))
        XCTAssertEqual(record["unlisted_bytes"], .string("AQID"))
    }

    func testJSONFieldsAreCanonicalWithSortedKeysAndEscapes() throws {
        let field = ["analytic_distribution": OdooField(name: "analytic_distribution", typeName: "json")]
        let decoder = OdooRecordDecoder(fields: field)
        let value: XMLRPCValue = [
            "12": 40.0, "3": 60.0, "10": ["nested": .nil, "list": [1.5, false]], "é": "quote \" slash \\ tab \t nl \n \u{01}",
        ]
        XCTAssertEqual(
            decoder.value(value, type: .json),
            .json(#"{"10":{"list":[1.5,false],"nested":null},"12":40.0,"3":60.0,"é":"quote \" slash \\ tab \t nl \n \u0001"}"#))
        let reordered: XMLRPCValue = ["3": 60.0, "12": 40.0]
        let original: XMLRPCValue = ["12": 40.0, "3": 60.0]
        XCTAssertEqual(decoder.value(reordered, type: .json), decoder.value(original, type: .json), "member order does not matter")
        XCTAssertEqual(decoder.value(false, type: .json), .null)
    }

    func testRecordsWithoutIdOrOfTheWrongShapeAreErrorsNotCrashes() {
        let decoder = OdooRecordDecoder(fields: [:])
        XCTAssertThrowsError(try decoder.records(from: "not a list"))
        XCTAssertThrowsError(try decoder.records(from: [["name": "no id"]]))
        XCTAssertThrowsError(try decoder.records(from: [42]))
    }

    func testReadGroupCaptureGivesCountAndTypedKeys() throws {
        let groups = try OdooGroup.groups(from: Captures.value18("read_group_hr_expense"), fields: Captures.fields18("hr_expense"))
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(groups[0].count, 16)
        XCTAssertEqual(groups[0]["company_id"], .many2one(id: 1, name: "YourCompany"))
        XCTAssertEqual(groups[0]["total_amount"], .float(5246.91))
        XCTAssertNil(groups[0].values["__domain"])
    }
}
