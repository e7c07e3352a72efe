import ETLModel
import Pipelines
import XCTest

/// Checking pipelines against real `fields_get` answers: drift is detected by field, never by
/// version string, and reported before anything is read.
final class PipelineResolverTests: XCTestCase {
    private func definition(_ yaml: String, name: String = "probe") throws -> PipelineDefinition {
        try PipelineCatalog.parseFile(path: "pipelines/\(name).yaml", text: yaml)
    }

    private static let expenseProbe = """
        model: hr.expense
        fields:
          sheet_id: required
          accounting_date: required
          total_amount: required
          company_id: required
          write_date: required
        targets:
          warehouse.probe:
            key: [odoo_id]
            columns:
              odoo_id: {type: bigint, from: id}
              company_id: integer
              sheet_id: bigint
              accounting_date: date
              total_amount: money
              odoo_write_date: {type: timestamp, from: write_date}
        """

    func testRequiredFieldsMissingOnOdoo19StopThePipelineNamingModelFieldAndVersion() throws {
        let fields = try Fixtures.modelFields("odoo19-wire/11_xmlrpc_hr_expense_fields_get.response.xml")
        let resolution = PipelineResolver.resolve(
            try definition(Self.expenseProbe), models: ["hr.expense": fields],
            odooVersion: "19.0")
        guard case .failed(let error) = resolution else { return XCTFail("expected failure, got \(resolution)") }
        XCTAssertEqual(
            "\(error)",
            """
            pipeline 'probe' (pipelines/probe.yaml) cannot run against this Odoo 19.0; nothing was read or written for it:
              - hr.expense has no field 'sheet_id' on this Odoo (19.0), and pipelines/probe.yaml lists hr.expense.sheet_id as required under fields: mark it `optional` there if NULL is acceptable, or install the Odoo module that provides it
              - hr.expense has no field 'accounting_date' on this Odoo (19.0), and pipelines/probe.yaml lists hr.expense.accounting_date as required under fields: mark it `optional` there if NULL is acceptable, or install the Odoo module that provides it
            """)
    }

    func testTheSameFileRunsOnOdoo18() throws {
        let fields = ModelFields.available(try Fixtures.odoo18Fields("hr.expense"))
        guard
            case .ready(let plan) = PipelineResolver.resolve(
                try definition(Self.expenseProbe),
                models: ["hr.expense": fields], odooVersion: "18.0")
        else {
            return XCTFail("expected a plan")
        }
        XCTAssertEqual(plan.fieldsToRead, ["sheet_id", "accounting_date", "total_amount", "company_id", "write_date"])
        XCTAssertEqual(plan.warnings, [])
    }

    func testColumnTypesAreCheckedAgainstOdooFieldTypes() throws {
        let probe = """
            model: account.move.line
            fields:
              partner_id: required
              debit: required
              tax_ids: required
              company_id: required
              write_date: required
            targets:
              warehouse.probe:
                key: [odoo_id]
                columns:
                  odoo_id: {type: text, from: id}
                  company_id: integer
                  partner_id: text
                  debit: bigint
                  tax_ids: bigint
                  partner_tin: {type: text, derive: tin_digits, args: [partner_id]}
                  written_on: {type: date, from: write_date}
                  written_month: {type: date, derive: month_start, args: [write_date]}
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        let fields = ModelFields.available(try Fixtures.odoo18Fields("account.move.line"))
        guard
            case .failed(let error) = PipelineResolver.resolve(
                try definition(probe), models: ["account.move.line": fields],
                odooVersion: "18.0")
        else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(
            error.problems,
            [
                "warehouse.probe.odoo_id holds a record id but is declared text: declare it bigint",
                "warehouse.probe.partner_id is text but reads partner_id, a many2one field on this Odoo (18.0): a many2one "
                    + "fills a bigint/integer id column; use partner_id.name for a text column",
                "warehouse.probe.debit is bigint but reads debit, a monetary field on this Odoo (18.0): declare the column "
                    + "as money or numeric(p,s)",
                "warehouse.probe.tax_ids is bigint but reads tax_ids, a many2many field on this Odoo (18.0): declare the "
                    + "column as bigint[]",
                "warehouse.probe.partner_tin: argument 1 of tin_digits must be a char field, but partner_id is many2one on "
                    + "this Odoo (18.0)",
                "warehouse.probe.written_on is date but reads write_date, a datetime field on this Odoo (18.0): a datetime is "
                    + "a UTC instant: declare the column timestamp and take the local day in SQL, "
                    + "(column AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Manila')::date",
                "warehouse.probe.written_month: argument 1 of month_start must be a date field, but write_date is datetime on "
                    + "this Odoo (18.0)",
            ])
    }

    func testLookupsOfOneModelShareOneReadAndMissingOptionalLookupFieldsWarn() throws {
        let probe = """
            model: account.move.line
            fields:
              partner_id: required
              tax_line_id: required
              company_id: required
              write_date: required
            lookups:
              partner:
                model: res.partner
                via: partner_id
                fields:
                  vat: required
              tax:
                model: account.tax
                via: tax_line_id
                fields:
                  amount: required
                  l10n_ph_atc: optional
            targets:
              warehouse.probe:
                key: [odoo_id]
                columns:
                  odoo_id: {type: bigint, from: id}
                  company_id: integer
                  tin: {type: text, derive: tin_digits, args: [partner.vat]}
                  atc: {type: text, from: tax.l10n_ph_atc}
                  rate: {type: "numeric(18,4)", from: tax.amount}
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        let models: [String: ModelFields] = [
            "account.move.line": .available(try Fixtures.odoo18Fields("account.move.line")),
            "res.partner": .available(try Fixtures.odoo18Fields("res.partner")),
            "account.tax": .available(try Fixtures.odoo18Fields("account.tax")),
        ]
        let pipeline = try definition(probe)
        XCTAssertEqual(pipeline.modelsToInspect, ["account.move.line", "res.partner", "account.tax"])
        guard case .ready(let plan) = PipelineResolver.resolve(pipeline, models: models, odooVersion: "18.0") else {
            return XCTFail("expected a plan")
        }
        XCTAssertEqual(
            plan.lookupRequests,
            [
                LookupRequest(model: "res.partner", fields: ["vat"], idsFrom: ["partner_id"]),
                LookupRequest(model: "account.tax", fields: ["amount"], idsFrom: ["tax_line_id"]),
            ])
        XCTAssertEqual(
            plan.warnings.map(\.description),
            [
                "pipeline 'probe': account.tax.l10n_ph_atc is not on this Odoo (18.0); warehouse.probe.atc will be NULL"
            ])

        let records = [
            OdooRecord(
                id: 1,
                fields: [
                    "partner_id": .many2one(id: 7, name: "Mabuhay"),
                    "tax_line_id": .many2one(id: 3, name: "EWT"), "company_id": .many2one(id: 2, name: "PH"),
                    "write_date": .datetime(OdooDateTime(seconds: 1_795_000_000)),
                ]),
            OdooRecord(
                id: 2,
                fields: [
                    "partner_id": .many2one(id: 7, name: "Mabuhay"), "tax_line_id": .null,
                    "company_id": .many2one(id: 2, name: "PH"),
                    "write_date": .datetime(OdooDateTime(seconds: 1_795_000_000)),
                ]),
        ]
        XCTAssertEqual(plan.lookupRequests.map { $0.relatedIDs(in: records) }, [[7], [3]])

        XCTAssertThrowsError(try plan.transform(records, lookups: [:])) { error in
            XCTAssertEqual(
                "\(error)",
                "pipeline 'probe': account.move.line record 1: no lookup results for res.partner "
                    + "were passed to the transformer — read lookupRequests for each batch and pass them keyed by model")
        }
        let lookups: LookupResults = [
            "res.partner": [7: OdooRecord(id: 7, fields: ["vat": .string("PH 123-456-789-001")])],
            "account.tax": [3: OdooRecord(id: 3, fields: ["amount": .float(-2)])],
        ]
        let rows = try XCTUnwrap(plan.transform(records, lookups: lookups).first).rows
        let write = Cell.timestamp(OdooDateTime(seconds: 1_795_000_000))
        XCTAssertEqual(
            rows,
            [
                [.int(1), .int(2), .text("123456789"), .null, .numeric("-2.0000"), write],
                [.int(2), .int(2), .text("123456789"), .null, .null, write],
            ])
    }

    func testAMissingLookupModelFailsOnlyForItsRequiredFields() throws {
        let probe = """
            model: hr.expense
            fields:
              employee_id: required
              company_id: required
              write_date: required
            lookups:
              employee:
                model: hr.employee
                via: employee_id
                fields:
                  work_email: required
            targets:
              warehouse.probe:
                key: [odoo_id]
                columns:
                  odoo_id: {type: bigint, from: id}
                  company_id: integer
                  email: {type: text, from: employee.work_email}
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        let models: [String: ModelFields] = [
            "hr.expense": .available(try Fixtures.odoo18Fields("hr.expense")), "hr.employee": .missing,
        ]
        guard
            case .failed(let error) = PipelineResolver.resolve(
                try definition(probe), models: models,
                odooVersion: "18.0")
        else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(
            error.problems,
            [
                "model hr.employee does not exist on this Odoo (18.0), and pipelines/probe.yaml lists hr.employee.work_email "
                    + "as required under lookups.employee.fields: mark it `optional` there if NULL is acceptable, or install "
                    + "the Odoo module that provides it"
            ])
    }

    func testDomainFieldsMustExist() throws {
        let probe = """
            model: account.move.line
            domain:
              - [parent_state, "=", posted]
              - [tax_line_id.l10n_ph_atc, "!=", false]
              - [is_withholding, "=", true]
            fields:
              company_id: required
              write_date: required
            targets:
              warehouse.probe:
                key: [odoo_id]
                columns:
                  odoo_id: {type: bigint, from: id}
                  company_id: integer
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        let pipeline = try definition(probe)
        XCTAssertEqual(
            pipeline.domain,
            .and([
                .leaf("parent_state", "=", .string("posted")),
                .leaf("tax_line_id.l10n_ph_atc", "!=", .bool(false)),
                .leaf("is_withholding", "=", .bool(true)),
            ]))
        let models: [String: ModelFields] = ["account.move.line": .available(try Fixtures.odoo18Fields("account.move.line"))]
        guard case .failed(let error) = PipelineResolver.resolve(pipeline, models: models, odooVersion: "18.0") else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(
            error.problems,
            [
                "the domain of pipelines/probe.yaml filters on account.move.line.is_withholding, which this Odoo (18.0) does "
                    + "not have: change the domain"
            ])
    }

    func testEveryRepositoryPipelineResolvesAgainstOdoo18() throws {
        for pipeline in try Fixtures.catalog().pipelines {
            var models: [String: ModelFields] = [:]
            for model in pipeline.modelsToInspect { models[model] = .available(try Fixtures.odoo18Fields(model)) }
            guard case .ready(let plan) = PipelineResolver.resolve(pipeline, models: models, odooVersion: "18.0") else {
                XCTFail("\(pipeline.name) does not resolve on Odoo 18")
                continue
            }
            XCTAssertEqual(plan.tables, pipeline.tables)
        }
    }
}
