import ETLModel
import Pipelines
import XCTest

/// Each pipeline maps sample records of both Odoo versions to the committed golden rows, and an
/// empty Odoo value (`False`) never lands as "false" or 0.
final class TransformerGoldenTests: XCTestCase {
    private var catalog: PipelineCatalog!

    override func setUpWithError() throws {
        catalog = try Fixtures.catalog()
    }

    // MARK: - Odoo 18

    func testCompaniesOnOdoo18() throws {
        try check(odoo18("companies", synthetic: "odoo18/res_company.json"))
    }

    func testPartnersOnOdoo18() throws {
        let scenario = try odoo18(
            "partners", captures: ["odoo18-wire/search_read_res_partner_binary.response.xml"],
            synthetic: "odoo18/res_partner.json")
        try check(scenario)
    }

    /// The archived-partner capture was read without write_date: its rows must be refused, since
    /// the merge guard and the checkpoint both need it.
    func testRecordsWithoutWriteDateAreRefused() throws {
        let plan = try XCTUnwrap(try odoo18("partners").resolvedPlan(catalog: catalog))
        let fields = try Fixtures.odoo18Fields("res.partner")
        let records = try OdooWireTyping.records(
            Fixtures.capture("odoo18-wire/search_read_res_partner_archived.response.xml"), fields: fields)
        XCTAssertThrowsError(try plan.transform(records, lookups: [:])) { error in
            XCTAssertEqual(
                "\(error)",
                "pipeline 'partners': res.partner record 5, column warehouse.res_partner."
                    + "odoo_write_date: the record has no write_date — request write_date in the pipeline's fields")
        }
    }

    func testEmployeesOnOdoo18() throws {
        try check(odoo18("employees", synthetic: "odoo18/hr_employee.json"))
    }

    func testTaxesOnOdoo18() throws {
        try check(odoo18("taxes", synthetic: "odoo18/account_tax.json"))
    }

    func testExpensesOnOdoo18() throws {
        try check(
            odoo18(
                "expenses", captures: ["odoo18-wire/search_read_hr_expense_page1.response.xml"],
                lookups: "odoo18/hr_expense_report_lookup.json"))
    }

    func testExpenseReportsOnOdoo18() throws {
        try check(odoo18("expense_reports", synthetic: "odoo18/hr_expense_sheet.json"))
    }

    func testInvoicesOnOdoo18() throws {
        try check(odoo18("invoices", captures: ["odoo18-wire/search_read_account_move.response.xml"]))
    }

    func testJournalItemsOnOdoo18() throws {
        try check(odoo18("journal_items", captures: ["odoo18-wire/search_read_account_move_line.response.xml"]))
    }

    func testBIRTaxLinesOnOdoo18() throws {
        try check(odoo18("bir_tax_lines", synthetic: "odoo18/bir_tax_lines.json", lookups: "odoo18/bir_tax_lines.json"))
    }

    /// The same lines on an Odoo with the Philippine localization, whose account.tax has l10n_ph_atc.
    func testBIRTaxLinesOnOdoo18WithPhilippineLocalization() throws {
        var scenario = try odoo18(
            "bir_tax_lines", synthetic: "odoo18/bir_tax_lines.json",
            lookups: "odoo18/bir_tax_lines.json", golden: "odoo18-l10n_ph/bir_tax_lines")
        var models = scenario.models
        var taxFields = try Fixtures.odoo18Fields("account.tax")
        taxFields["l10n_ph_atc"] = OdooField(name: "l10n_ph_atc", typeName: "char", label: "Philippines ATC")
        models["account.tax"] = .available(taxFields)
        scenario = GoldenScenario(
            golden: scenario.golden, pipeline: scenario.pipeline, odooVersion: scenario.odooVersion,
            models: models, recordSources: scenario.recordSources,
            lookupSource: scenario.lookupSource,
            notes: [
                "account.tax fields_get is the real Odoo 18 one plus l10n_ph_atc (char), "
                    + "as l10n_ph adds it"
            ])
        try check(scenario)
    }

    // MARK: - Odoo 19

    func testExpensesOnOdoo19() throws {
        let scenario = GoldenScenario(
            golden: "odoo19/expenses", pipeline: "expenses", odooVersion: try odoo19Version(),
            models: [
                "hr.expense": try Fixtures.modelFields("odoo19-wire/11_xmlrpc_hr_expense_fields_get.response.xml"),
                "hr.expense.sheet": try Fixtures.modelFields("odoo19-wire/09_xmlrpc_hr_expense_sheet_missing.response.xml"),
            ],
            recordSources: [try captured("odoo19-wire/05_xmlrpc_hr_expense_search_read.response.xml")])
        try check(scenario)
    }

    func testExpenseReportsAreSkippedOnOdoo19() throws {
        let scenario = GoldenScenario(
            golden: "odoo19/expense_reports", pipeline: "expense_reports", odooVersion: try odoo19Version(),
            models: ["hr.expense.sheet": try Fixtures.modelFields("odoo19-wire/09_xmlrpc_hr_expense_sheet_missing.response.xml")],
            recordSources: [])
        let outcome = try check(scenario)
        XCTAssertNil(outcome.plan)
    }

    /// The Odoo 19 capture has no fields_get of account.move.line; its field types are those of the
    /// Odoo 18 capture (the captured fields did not change type between the versions).
    func testJournalItemsOnOdoo19() throws {
        let scenario = GoldenScenario(
            golden: "odoo19/journal_items", pipeline: "journal_items", odooVersion: try odoo19Version(),
            models: ["account.move.line": .available(try Fixtures.odoo18Fields("account.move.line"))],
            recordSources: [try captured("odoo19-wire/08_xmlrpc_account_move_line_search_read.response.xml")],
            notes: ["typed with the Odoo 18 fields_get of account.move.line (no Odoo 19 capture of it)"])
        try check(scenario)
    }

    // MARK: - Helpers

    @discardableResult
    private func check(_ scenario: GoldenScenario, file: StaticString = #filePath, line: UInt = #line) throws
        -> GoldenScenario.Outcome
    {
        let outcome = try scenario.run(catalog: catalog)
        try GoldenRows.assertMatches(outcome.text, golden: scenario.golden, file: file, line: line)
        if let plan = outcome.plan {
            XCTAssertFalse(outcome.rawRecords.isEmpty, "scenario has no records", file: file, line: line)
            assertEmptyValuesAreNull(
                plan: plan, batches: outcome.batches, rawRecords: outcome.rawRecords,
                file: file, line: line)
        }
        return outcome
    }

    /// Every column filled straight from a field whose wire value was `False` (and that is not a
    /// boolean) holds NULL: not the text "false", not 0.
    private func assertEmptyValuesAreNull(
        plan: PipelinePlan, batches: [RowBatch], rawRecords: [[String: WireValue]],
        file: StaticString, line: UInt
    ) {
        let byID = Dictionary(
            rawRecords.compactMap { raw -> (Int64, [String: WireValue])? in
                guard case .int(let id) = raw["id"] ?? .none else { return nil }
                return (id, raw)
            }, uniquingKeysWith: { first, _ in first })
        var checked = 0
        for (target, batch) in zip(plan.definition.targets, batches) {
            guard let idIndex = target.columns.firstIndex(where: { $0.source == .value(ValueReference(field: "id")) }) else {
                continue
            }
            for row in batch.rows {
                guard case .int(let id) = row[idIndex], let raw = byID[id] else { continue }
                for (index, column) in target.columns.enumerated() {
                    guard case .value(let reference) = column.source, reference.lookup == nil,
                        raw[reference.field] == .bool(false), column.type != .boolean
                    else { continue }
                    checked += 1
                    XCTAssertEqual(
                        row[index], .null,
                        "\(batch.table.name).\(column.name) of record \(id) holds "
                            + "\(row[index]) for Odoo False", file: file, line: line)
                }
            }
        }
        if rawRecords.contains(where: { $0.values.contains(.bool(false)) }) {
            XCTAssertGreaterThan(checked, 0, "no False value reached a column", file: file, line: line)
        }
    }

    private func odoo18(
        _ pipeline: String, captures: [String] = [], synthetic: String? = nil, lookups: String? = nil,
        golden: String? = nil
    ) throws -> GoldenScenario {
        guard let definition = catalog.pipeline(named: pipeline) else { throw GoldenScenario.Unexpected(description: pipeline) }
        var models: [String: ModelFields] = [:]
        for model in definition.modelsToInspect { models[model] = .available(try Fixtures.odoo18Fields(model)) }
        var sources = try captures.map(captured)
        if let synthetic {
            sources.append(("Tests/Support/pipelines/fixtures/\(synthetic) (synthetic)", try Fixtures.synthetic(synthetic).records))
        }
        let lookupSource = try lookups.map { name in
            ("Tests/Support/pipelines/fixtures/\(name) (synthetic)", try Fixtures.synthetic(name).lookups)
        }
        return GoldenScenario(
            golden: golden ?? "odoo18/\(pipeline)", pipeline: pipeline, odooVersion: try odoo18Version(),
            models: models, recordSources: sources, lookupSource: lookupSource)
    }

    private func captured(_ path: String) throws -> (label: String, records: [[String: WireValue]]) {
        let records = (try Fixtures.capture(path).arrayValue ?? []).compactMap(\.objectValue)
        // The goldens name a capture by where it was published (../shared/fixtures), not by its
        // vendored copy in Tests/Fixtures: the label is part of each golden's text.
        return ("../shared/fixtures/\(path)", records)
    }

    private func odoo18Version() throws -> String {
        try Fixtures.capture("odoo18-wire/version.response.xml").objectValue?["server_version"]?.stringValue ?? "?"
    }

    private func odoo19Version() throws -> String {
        try Fixtures.capture("odoo19-wire/01_xmlrpc_common_version.response.xml")
            .objectValue?["server_version"]?.stringValue ?? "?"
    }
}
