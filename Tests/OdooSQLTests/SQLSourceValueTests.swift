import ETLModel
import Foundation
import Postgres
import TestSupport
import XCTest

@testable import OdooSQL

/// The SQL source reads stored values as Odoo's ORM answers them over XML-RPC: empty numbers
/// are 0, many2one pairs carry Odoo 18's display names, translated names follow the language,
/// related fields Odoo does not store come through their relation, text arrives as XML-RPC
/// delivers it, JSON is canonical. What it cannot read as the ORM would, it refuses by name.
final class SQLSourceValueTests: XCTestCase {
    nonisolated(unsafe) private static var database: (url: String, connection: PostgresConnection)!

    /// One expense of every awkward kind, written after all the seeded ones.
    private static let oddExpense = """
        INSERT INTO hr_expense (id, employee_id, company_id, product_id, currency_id, sheet_id, name, state, payment_mode,
                                quantity, price_unit, total_amount, tax_amount, date, analytic_distribution, description, write_date)
        VALUES (5000, 1, 1, 51, 2, 1, E'Taxi\\r\\nMakati\\u0001 «Ñ»\\tend\\rx', NULL, 'own_account', 2.5, 1e-7, NULL, 1234567.895,
                NULL, '{"10": 50, "3": 100.0, "note": "a\\u0002b"}', '', '2030-01-01 12:00:00.999999'),
               (5001, 1, 1, 50, 2, NULL, 'Empty distribution', 'reported', 'company_account', 1, 1, 1, 0,
                '2030-01-02', '{}', NULL, '2030-01-01 12:00:01');
        """

    /// Accounting records whose display names take Odoo 18's special cases.
    private static let accounting = """
        INSERT INTO res_country (id, code, name) VALUES (233, 'US', '{"en_US": "United States"}');
        INSERT INTO account_account (id, account_type, name, code_store)
        VALUES (1, 'asset_receivable', '{"en_US": "Account Receivable"}', '{"1": "121000"}'),
               (2, 'expense', '{"en_US": "Rent"}', NULL);
        INSERT INTO account_journal (id, company_id, currency_id, code, type, invoice_reference_type, invoice_reference_model, name)
        VALUES (1, 2, NULL, 'INV', 'sale', 'invoice', 'odoo', '{"en_US": "Customer Invoices"}'),
               (2, 2, 1, 'BNK2', 'bank', 'invoice', 'odoo', '{"en_US": "Bank"}');
        INSERT INTO account_tax (id, company_id, sequence, tax_group_id, country_id, type_tax_use, amount_type, name, amount)
        VALUES (1, 2, 20, 1, 176, 'sale', 'percent', '{"en_US": "12% VAT"}', 12),
               (2, 2, 10, 1, 233, 'sale', 'percent', '{"en_US": "US Sales Tax"}', 5),
               (3, 2, 10, 1, 176, 'sale', 'percent', '{"en_US": "0% VAT"}', 0);
        INSERT INTO account_move (id, journal_id, company_id, currency_id, name, ref, state, move_type, auto_post, date, expense_sheet_id)
        VALUES (1, 1, 2, 2, 'INV/2025/00001', NULL, 'posted', 'out_invoice', 'no', '2025-01-05', 1),
               (2, 1, 2, 2, NULL, 'PO  4471', 'draft', 'in_invoice', 'no', '2025-01-06', 1),
               (3, 1, 2, 2, '/', 'A reference far longer than fifty characters, so Odoo shortens it', 'draft', 'entry', 'no',
                '2025-01-04', 1);
        INSERT INTO account_move_line (id, move_id, journal_id, company_id, account_id, currency_id, display_type, balance,
                                       amount_currency, debit, credit, write_date)
        VALUES (1, 1, 2, 2, 1, 2, 'product', 10, 10, 10, 0, '2025-01-05 00:00:00'),
               (2, 2, 1, 2, 2, 2, 'product', 10, 10, 10, 0, '2025-01-06 00:00:00'),
               (3, 3, 1, 2, NULL, 2, 'line_note', 0, 0, 0, 0, '2025-01-06 00:00:00');
        INSERT INTO account_move_line_account_tax_rel VALUES (1, 1), (1, 2), (1, 3);
        """

    override class func setUp() {
        super.setUp()
        do {
            database = try ExpenseLayoutSeed.create()
            try database.connection.execute(script: oddExpense)
            try database.connection.execute(script: accounting)
        } catch {
            XCTFail("could not seed the Odoo layout database: \(error)")
        }
    }

    private func read(
        _ ids: [Int64], _ fields: [String], model: String = "hr.expense", capture: String = "hr_expense",
        language: String = "en_US"
    ) throws -> [OdooRecord] {
        let configuration = ExtractionRequest(model: model, fields: fields)
        let reader = try SQLSourceReader(
            databaseURL: Self.database.url, configuration: configuration,
            fields: try Captures.fields18(capture), options: SQLSourceReader.Options(language: language))
        return try reader.read(model: model, ids: ids, fields: fields, fieldTypes: try Captures.fields18(capture))
    }

    func testValuesReadAsOdooAnswersThem() throws {
        let fields = [
            "name", "employee_id", "product_id", "currency_id", "company_currency_id", "sheet_id", "state",
            "quantity", "price_unit", "total_amount", "tax_amount", "date", "analytic_distribution", "description",
            "approved_by", "approved_on", "write_date", "payment_mode",
        ]
        let records = try read([5000, 5001, 999_999], fields)
        XCTAssertEqual(records.map(\.id), [5000, 5001], "read answers the records that exist")
        let odd = records[0]
        XCTAssertEqual(
            odd["name"], .string("Taxi\nMakati «Ñ»\tend\nx"),
            "control characters dropped, CR LF and CR read as LF, as the XML-RPC client receives them")
        XCTAssertEqual(odd["employee_id"], .many2one(id: 1, name: "Juan Santos"))
        XCTAssertEqual(odd["product_id"], .many2one(id: 51, name: "Meals"), "no default code, no brackets")
        XCTAssertEqual(records[1]["product_id"], .many2one(id: 50, name: "[FOOD] Meals"))
        XCTAssertEqual(odd["currency_id"], .many2one(id: 2, name: "PHP"))
        XCTAssertEqual(odd["company_currency_id"], .many2one(id: 2, name: "PHP"), "related company_id.currency_id")
        XCTAssertEqual(odd["sheet_id"], .many2one(id: 1, name: "Juan - March expenses"))
        XCTAssertEqual(odd["approved_by"], .many2one(id: 6, name: "Marc Demo"), "related sheet_id.user_id, named by its partner")
        XCTAssertEqual(odd["approved_on"], .datetime(OdooDateTime("2025-03-04 09:15:30")!), "whole seconds, as XML-RPC sends")
        XCTAssertEqual(records[1]["approved_by"], .null)
        XCTAssertEqual(odd["state"], .null, "an empty selection is False on the wire")
        XCTAssertEqual(odd["quantity"], .float(2.5))
        XCTAssertEqual(odd["price_unit"], .float(1e-7))
        XCTAssertEqual(odd["total_amount"], .float(0), "Odoo reads an empty number as 0")
        XCTAssertEqual(odd["tax_amount"], .float(1234567.895))
        XCTAssertEqual(odd["date"], .null)
        XCTAssertEqual(records[1]["date"], .date(OdooDate(year: 2030, month: 1, day: 2)))
        XCTAssertEqual(
            odd["analytic_distribution"], .json(#"{"10":50,"3":100.0,"note":"ab"}"#),
            "integers stay integers, floats keep their point, keys sorted, as the XML-RPC decoder writes it")
        XCTAssertEqual(records[1]["analytic_distribution"], .null, "Odoo reads an empty JSON value as False")
        XCTAssertEqual(odd["description"], .string(""), "an empty string is not False")
        XCTAssertEqual(odd["write_date"], .datetime(OdooDateTime("2030-01-01 12:00:00")!))
        XCTAssertEqual(Set(odd.fields.keys), Set(fields))
    }

    func testDisplayNamesAndIDListsFollowOdoo18() throws {
        let configuration = ExtractionRequest(
            model: "account.move.line", fields: ["move_id", "account_id", "journal_id", "tax_ids", "move_type"], companyID: 2,
            pageSize: 10)
        let reader = try SQLSourceReader(
            databaseURL: Self.database.url, configuration: configuration,
            fields: try Captures.fields18("account_move_line"))
        var lines: [Int64: OdooRecord] = [:]
        while let batch = try reader.next() { for record in batch.records { lines[record.id] = record } }
        XCTAssertEqual(lines[1]?["move_id"], .many2one(id: 1, name: "INV/2025/00001"))
        XCTAssertEqual(lines[2]?["move_id"], .many2one(id: 2, name: "Draft Bill (* 2) (PO 4471)"), "draft, unnamed, ref collapsed")
        XCTAssertEqual(
            lines[3]?["move_id"], .many2one(id: 3, name: "Draft Entry (* 3) (A reference far longer than fifty [...])"),
            "ref shortened like textwrap.shorten(ref, 50)")
        XCTAssertEqual(
            lines[1]?["account_id"], .many2one(id: 1, name: "121000 Account Receivable"),
            "the code of the unit's root company (company 2 is a branch of 1)")
        XCTAssertEqual(lines[2]?["account_id"], .many2one(id: 2, name: "Rent"), "no code for this company: the name alone")
        XCTAssertEqual(lines[3]?["account_id"], .null)
        XCTAssertEqual(lines[1]?["journal_id"], .many2one(id: 2, name: "Bank (USD)"), "a journal in another currency says so")
        XCTAssertEqual(lines[2]?["journal_id"], .many2one(id: 1, name: "Customer Invoices"))
        XCTAssertEqual(lines[1]?["tax_ids"], .ids([2, 3, 1]), "ordered as account.tax orders: sequence, id")
        XCTAssertEqual(lines[2]?["tax_ids"], .ids([]))
        XCTAssertEqual(lines[1]?["move_type"], .string("out_invoice"), "related move_id.move_type, not stored on the line")

        let sheets = try read([1], ["account_move_ids"], model: "hr.expense.sheet", capture: "hr_expense_sheet")
        XCTAssertEqual(sheets.first?["account_move_ids"], .ids([2, 1, 3]), "one2many in account.move's order: date desc")
    }

    func testTaxesOfAnotherCountryShowItsCode() throws {
        try Self.database.connection.execute(script: "UPDATE account_move_line SET tax_line_id = id WHERE id IN (1, 2)")
        defer { _ = try? Self.database.connection.execute(script: "UPDATE account_move_line SET tax_line_id = NULL") }
        let records = try read([1, 2], ["tax_line_id"], model: "account.move.line", capture: "account_move_line")
        XCTAssertEqual(records.map { $0["tax_line_id"] }, [.many2one(id: 1, name: "12% VAT"), .many2one(id: 2, name: "US Sales Tax (US)")])
    }

    func testTranslatedNamesFollowTheLanguageAndFallBackToEnglish() throws {
        let records = try read([5001], ["product_id"], language: "fil_PH")
        XCTAssertEqual(records.first?["product_id"], .many2one(id: 50, name: "[FOOD] Pagkain"))
        let untranslated = try read([5001], ["product_id"], language: "fr_FR")
        XCTAssertEqual(untranslated.first?["product_id"], .many2one(id: 50, name: "[FOOD] Meals"))
        XCTAssertThrowsError(try read([5001], ["name"], language: "en'; DROP TABLE x; --")) { error in
            guard case .invalidLanguage = (error as? SQLSourceError)?.kind else { return XCTFail("\(error)") }
        }
    }

    func testDomainsKeepOdooSemantics() throws {
        func ids(_ domain: OdooDomain) throws -> Set<Int64> {
            let configuration = ExtractionRequest(
                model: "hr.expense", fields: ["name"], domain: domain && .leaf("id", .greaterOrEqual, 4995), pageSize: 10)
            let reader = try SQLSourceReader(
                databaseURL: Self.database.url, configuration: configuration,
                fields: try Captures.fields18("hr_expense"))
            var result = Set<Int64>()
            while let batch = try reader.next() { result.formUnion(batch.records.map(\.id)) }
            return result
        }
        XCTAssertEqual(try ids(.leaf("state", .notEqual, "reported")), [5000], "!= includes the empty state")
        XCTAssertEqual(try ids(!.leaf("state", .equal, "reported")), [5000], "! pushed down: the same as !=")
        XCTAssertEqual(try ids(.leaf("state", .equal, false)), [5000])
        XCTAssertEqual(try ids(.leaf("sheet_id", .notEqual, false)), [5000])
        XCTAssertEqual(try ids(.leaf("state", .notIn, .strings(["reported"]))), [5000], "not in includes NULL")
        XCTAssertEqual(try ids(.leaf("id", .in, .ints([5001, 7]))), [5001])
        XCTAssertEqual(try ids(.leaf("name", .ilike, "makati")), [5000])
        XCTAssertEqual(try ids(.leaf("name", "=like", "Empty%")), [5001])
        XCTAssertEqual(try ids(.leaf("write_date", .less, .datetime(OdooDateTime("2030-01-01 12:00:01")!))), [5000])
        XCTAssertEqual(try ids(.leaf("date", .greaterOrEqual, .date(OdooDate(year: 2030, month: 1, day: 1)))), [5001])
        XCTAssertEqual(try ids(.leaf("payment_mode", .equal, "company_account") || .leaf("state", .equal, false)), [5000, 5001])
        XCTAssertEqual(try ids(.leaf("id", .in, .ints([]))), [])
        XCTAssertThrowsError(try ids(.leaf("employee_id", .equal, "Juan Santos"))) { error in
            guard case .unsupportedDomain = (error as? SQLSourceError)?.kind else { return XCTFail("\(error)") }
        }
    }

    func testAFieldOdooDoesNotStoreIsRefusedByName() throws {
        XCTAssertThrowsError(try read([5000], ["name", "is_multiple_currency"])) { error in
            guard case .notStored(let model, let field) = (error as? SQLSourceError)?.kind else { return XCTFail("\(error)") }
            XCTAssertEqual(model, "hr.expense")
            XCTAssertEqual(field, "is_multiple_currency")
            XCTAssertTrue("\(error)".contains("--source xmlrpc"))
        }
        XCTAssertThrowsError(try read([1], ["name"], model: "account.analytic.account", capture: "hr_expense")) { error in
            guard case .missingTable(_, let table) = (error as? SQLSourceError)?.kind else { return XCTFail("\(error)") }
            XCTAssertEqual(table, "account_analytic_account")
        }
    }

    /// Odoo 18 keeps company-dependent values in jsonb keyed by company id, with a fallback only
    /// the ORM knows: read as a translation they would come back NULL, so they are refused by name.
    func testACompanyDependentFieldIsRefusedByNameInsteadOfReadingAsNull() throws {
        try Self.database.connection.execute(
            script: """
                ALTER TABLE hr_expense ADD COLUMN IF NOT EXISTS x_cost_centre jsonb;
                UPDATE hr_expense SET x_cost_centre = '{"1": "CC-MNL-01"}' WHERE id = 5000;
                """)
        var fields = try Captures.fields18("hr_expense")
        fields["x_cost_centre"] = OdooField(name: "x_cost_centre", typeName: "char", label: "Cost centre", companyDependent: true)
        let configuration = ExtractionRequest(model: "hr.expense", fields: ["name", "x_cost_centre"])
        XCTAssertThrowsError(
            try SQLSourceReader(databaseURL: Self.database.url, configuration: configuration, fields: fields)
                .read(model: "hr.expense", ids: [5000], fields: ["name", "x_cost_centre"], fieldTypes: fields)
        ) { error in
            guard case .unsupportedField(_, let field, let reason) = (error as? SQLSourceError)?.kind else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "x_cost_centre")
            XCTAssertTrue(reason.contains("company-dependent"), reason)
        }
        XCTAssertEqual(
            try Captures.fields18("hr_expense").values.filter(\.companyDependent).map(\.name), [],
            "the capture asked Odoo for company_dependent; no hr.expense field is")
    }

    /// Odoo rounds a float field to its current `digits` whenever it reads it: a price stored with
    /// three decimals before the precision went down to two reads as two.
    func testAFloatReadsRoundedToItsDigitsAsOdooReadsIt() throws {
        try Self.database.connection.execute(script: "UPDATE hr_expense SET price_unit = 12.345 WHERE id = 5001")
        var fields = try Captures.fields18("hr_expense")
        let configuration = ExtractionRequest(model: "hr.expense", fields: ["price_unit"])
        func price() throws -> OdooValue? {
            try SQLSourceReader(databaseURL: Self.database.url, configuration: configuration, fields: fields)
                .read(model: "hr.expense", ids: [5001], fields: ["price_unit"], fieldTypes: fields).first?["price_unit"]
        }
        XCTAssertEqual(try price(), .float(12.345), "no digits: the stored value")
        fields["price_unit"] = OdooField(name: "price_unit", typeName: "float", label: "Unit Price", decimalDigits: 2)
        XCTAssertEqual(try price(), .float(12.35))
    }

    /// A binary field kept in its own column holds the base64 text itself, which XML-RPC sends as is.
    func testABinaryColumnReadsAsTheBase64TextOdooSends() throws {
        try Self.database.connection.execute(
            script: """
                ALTER TABLE hr_expense ADD COLUMN IF NOT EXISTS x_receipt bytea;
                UPDATE hr_expense SET x_receipt = convert_to('aGVsbG8=', 'UTF8') WHERE id = 5000;
                """)
        var fields = try Captures.fields18("hr_expense")
        fields["x_receipt"] = OdooField(name: "x_receipt", typeName: "binary", label: "Receipt")
        let configuration = ExtractionRequest(model: "hr.expense", fields: ["x_receipt"])
        let records = try SQLSourceReader(databaseURL: Self.database.url, configuration: configuration, fields: fields)
            .read(model: "hr.expense", ids: [5000, 5001], fields: ["x_receipt"], fieldTypes: fields)
        XCTAssertEqual(records.map { $0["x_receipt"] }, [.string("aGVsbG8="), .null], "an empty binary is False on the wire")
    }

    func testAnUnreachableDatabaseFailsAfterItsRetriesWithoutTheURL() throws {
        let configuration = ExtractionRequest(model: "hr.expense", fields: ["name"])
        let recorder = LockedCounter()
        let policy = RetryPolicy(maxAttempts: 3, initialBackoff: 0.01, sleep: { _ in recorder.increment() })
        let reader = try SQLSourceReader(
            databaseURL: "postgres://etl:s3cret-pw@127.0.0.1:1/odoo", configuration: configuration,
            fields: try Captures.fields18("hr_expense"),
            options: SQLSourceReader.Options(retryPolicy: policy))
        XCTAssertThrowsError(try reader.next()) { error in
            guard case .database = (error as? SQLSourceError)?.kind else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("s3cret-pw"))
            XCTAssertTrue("\(error)".contains("odoo.db_url_env"))
        }
        XCTAssertEqual(recorder.value, 2, "three attempts, two waits")
    }

    func testTextAndJSONConversions() throws {
        XCTAssertEqual(SQLSourceText.asDelivered("a\r\n\u{1}b\r\u{1}\nc\u{7F}"), "a\nb\nc\u{7F}")
        XCTAssertEqual(SQLSourceText.asDelivered("plain\ttext\n"), "plain\ttext\n")
        XCTAssertEqual(
            try SQLSourceJSON.canonical(#"{"b": [1, 2.50, -3e2, true, null], "a": {"y": "\u00e9\ud83d\ude00"}}"#),
            #"{"a":{"y":"é😀"},"b":[1,2.5,-300.0,true,null]}"#)
        for empty in ["{}", "[]", "0", "0.0", "\"\"", "false", "null"] {
            XCTAssertNil(try SQLSourceJSON.canonical(empty), "\(empty) is false in Python")
        }
        XCTAssertThrowsError(try SQLSourceJSON.canonical("{\"a\": }"))
        XCTAssertEqual(SQLSourceRecords.ids("{3,1,2}"), [3, 1, 2])
        XCTAssertEqual(SQLSourceRecords.ids("{}"), [])
        XCTAssertNil(SQLSourceRecords.ids("3,1"))
    }
}

private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
}
