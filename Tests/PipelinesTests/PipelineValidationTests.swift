import XCTest

@testable import Pipelines

/// A deliberately broken pipeline file reports every problem at once, each with file, line, key
/// path and a fix.
final class PipelineValidationTests: XCTestCase {
    static let brokenFile = """
        model: hr.expense
        scope: per_company
        batch_size: 0
        depends_on: companies
        feilds:
          name: required
        fields:
          name: required
          employee_id: mandatory
          total_amount: required
          description: optional
        domain:
          - "|"
          - [state, "==", posted]
        lookups:
          employee:
            model: hr.employee
            via: employe_id
            fields:
              work_email: required
        targets:
          warehouse.hr_expense:
            key: [odoo_id, expense_key]
            columns:
              odoo_id: {type: bigint, from: id}
              name: txt
              amount: {type: "numeric(18,2)", from: total_amount, derive: approval_level}
              level: {type: date, derive: approval_levl, args: [total_amount]}
              stage: {type: text, derive: expense_stage, args: []}
              email: {type: text, from: employe.work_email}
              synced_at: timestamp
              tin: {type: text, derive: tin_digits, args: [partner_vat]}
          finance.fact_expense:
            columns:
              odoo_id: {type: bigint, from: id}

        """

    func testEveryProblemOfABrokenFileIsReportedAtOnce() {
        XCTAssertThrowsError(try PipelineCatalog.parseFile(path: "pipelines/broken.yaml", text: Self.brokenFile)) { error in
            guard let validation = error as? PipelineValidationError else { return XCTFail("unexpected \(error)") }
            let expected = """
                pipeline files are invalid (23 problems in pipelines/broken.yaml); nothing was synced:
                  pipelines/broken.yaml:5: feilds: unknown key 'feilds' — did you mean 'fields'?
                  pipelines/broken.yaml:2: scope: unknown scope 'per_company' — did you mean 'company'?
                  pipelines/broken.yaml:3: batch_size: batch_size must be a whole number from 1 to 50000, found '0' — use a page size such as 2000
                  pipelines/broken.yaml:4: depends_on: expected a list of pipeline names, found the single value 'companies' — write it as a list: [companies]
                  pipelines/broken.yaml:14: domain[1]: '==' is not an Odoo domain operator — Odoo compares with a single '='
                  pipelines/broken.yaml:13: domain: operator '|' needs 2 conditions after it — add the missing condition or remove the operator
                  pipelines/broken.yaml:9: fields.employee_id: a field is `required` or `optional`, found 'mandatory' — use one of 'required', 'optional'
                  pipelines/broken.yaml:26: targets["warehouse.hr_expense"].columns.name: unknown column type 'txt' — did you mean 'text'?
                  pipelines/broken.yaml:27: targets["warehouse.hr_expense"].columns.amount: a column takes its value either `from` a field or `derive`s it, not both — keep one of them
                  pipelines/broken.yaml:28: targets["warehouse.hr_expense"].columns.level.derive: unknown derived function 'approval_levl' — did you mean 'approval_level'?
                  pipelines/broken.yaml:29: targets["warehouse.hr_expense"].columns.stage.args: expense_stage takes 1 or 2 argument(s), found 0 — pass 1 or 2 field reference(s)
                  pipelines/broken.yaml:30: targets["warehouse.hr_expense"].columns.email.from: in 'employe.work_email', 'employe' is not a lookup of this pipeline and 'work_email' is not id or name — did you mean 'employee'?
                  pipelines/broken.yaml:31: targets["warehouse.hr_expense"].columns.synced_at: 'synced_at' is managed by the loader — remove it: every table gets synced_at and deleted_at automatically
                  pipelines/broken.yaml:23: targets["warehouse.hr_expense"].key: key column 'expense_key' is not one of the table's columns — use one of 'odoo_id', 'tin'
                  pipelines/broken.yaml:22: targets["warehouse.hr_expense"]: the table has no 'company_id' column — add a `company_id` column, or write `tenant_column: null` for a table no company owns
                  pipelines/broken.yaml:22: targets["warehouse.hr_expense"]: the table has no 'odoo_write_date' column — add `odoo_write_date: timestamp` (from write_date): the loader's merge guard compares it
                  pipelines/broken.yaml:33: targets["finance.fact_expense"]: schema 'finance' is not one the pipelines write to — use one of 'warehouse', 'analytics', 'scout'
                  pipelines/broken.yaml:33: targets["finance.fact_expense"]: missing required key 'key' — add `key:` here
                  pipelines/broken.yaml:33: targets["finance.fact_expense"]: the table has no 'company_id' column — add a `company_id` column, or write `tenant_column: null` for a table no company owns
                  pipelines/broken.yaml:33: targets["finance.fact_expense"]: the table has no 'odoo_write_date' column — add `odoo_write_date: timestamp` (from write_date): the loader's merge guard compares it
                  pipelines/broken.yaml:7: fields: write_date is not listed as required — add `write_date: required`: incremental reads and the merge guard depend on it
                  pipelines/broken.yaml:18: lookups.employee.via: 'employe_id' is not listed under fields — add `employe_id: required` (or optional) to fields
                  pipelines/broken.yaml:32: targets["warehouse.hr_expense"].columns.tin: 'partner_vat' is not listed under fields — add `partner_vat: required` (or optional) to fields
                """
            XCTAssertEqual("\(validation)", expected)
        }
    }

    /// A domain list Odoo cannot take (numbers and texts mixed) is refused when the file loads,
    /// with its line, not when its unit first runs.
    func testADomainListMixingTypesIsRefusedWhenTheFileLoads() {
        let text = """
            model: res.partner
            domain: [[state, in, [draft, 3]]]
            fields:
              company_id: required
              write_date: required
            targets:
              warehouse.partner_copy:
                key: [odoo_id]
                columns:
                  odoo_id: {type: bigint, from: id}
                  company_id: integer
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        XCTAssertThrowsError(try PipelineCatalog.parseFile(path: "pipelines/mixed.yaml", text: text)) { error in
            XCTAssertEqual(
                "\(error)",
                """
                pipeline files are invalid (1 problem in pipelines/mixed.yaml); nothing was synced:
                  pipelines/mixed.yaml:2: domain[0]: a list mixes value types — use a list of numbers or a list of texts
                """)
        }
    }
}
