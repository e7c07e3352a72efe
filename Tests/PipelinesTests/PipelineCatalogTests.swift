import ETLModel
import XCTest

@testable import Pipelines

/// The repository's own pipeline files load, validate and order their dependencies.
final class PipelineCatalogTests: XCTestCase {
    func testRepositoryPipelinesLoadInDependencyOrder() throws {
        let catalog = try Fixtures.catalog()
        let names = catalog.pipelines.map(\.name)
        XCTAssertEqual(
            Set(names),
            [
                "companies", "partners", "employees", "taxes", "expenses", "expense_reports",
                "invoices", "journal_items", "bir_tax_lines",
            ])
        for pipeline in catalog.pipelines {
            for dependency in pipeline.dependsOn {
                XCTAssertLessThan(
                    try XCTUnwrap(names.firstIndex(of: dependency)),
                    try XCTUnwrap(names.firstIndex(of: pipeline.name)),
                    "\(dependency) must come before \(pipeline.name)")
            }
        }
        XCTAssertEqual(names.first, "companies")
    }
}

/// Problems that only show across files.
final class PipelineCatalogCrossFileTests: XCTestCase {
    private func file(_ name: String, dependsOn: [String], table: String) -> (path: String, text: String) {
        (
            path: "pipelines/\(name).yaml",
            text: """
            model: res.partner
            depends_on: [\(dependsOn.joined(separator: ", "))]
            fields:
              company_id: required
              write_date: required
            targets:
              \(table):
                key: [odoo_id]
                columns:
                  odoo_id: {type: bigint, from: id}
                  company_id: integer
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        )
    }

    func testUnknownDependenciesCyclesAndSharedTablesAreReportedTogether() {
        let files = [
            file("alpha", dependsOn: ["beta", "companys"], table: "warehouse.alpha"),
            file("beta", dependsOn: ["gamma"], table: "warehouse.beta"),
            file("gamma", dependsOn: ["alpha"], table: "warehouse.alpha"),
            file("companies", dependsOn: [], table: "warehouse.res_company"),
        ]
        XCTAssertThrowsError(try PipelineCatalog.parse(files: files)) { error in
            XCTAssertEqual(
                (error as? PipelineValidationError)?.diagnostics.map(\.description),
                [
                    "pipelines/alpha.yaml: depends_on: no pipeline is named 'companys' — did you mean 'companies'?",
                    "pipelines/gamma.yaml: targets[\"warehouse.alpha\"]: warehouse.alpha is already filled by pipeline "
                        + "'alpha' (pipelines/alpha.yaml) — let one pipeline own each table",
                    "pipelines/alpha.yaml: depends_on: dependency cycle alpha → beta → gamma → alpha — remove one of these "
                        + "depends_on entries",
                ])
        }
    }

    func testYAMLSyntaxErrorsNameTheLine() {
        let text = "model: res.partner\nfields:\n  name: required\n   write_date: [\n"
        XCTAssertThrowsError(try PipelineCatalog.parseFile(path: "pipelines/bad.yaml", text: text)) { error in
            let diagnostic = (error as? PipelineValidationError)?.diagnostics.first
            XCTAssertEqual(diagnostic?.line, 4)
            XCTAssertEqual(diagnostic?.problem.hasPrefix("the file is not valid YAML: "), true, "\(error)")
        }
    }

    func testAFieldNoColumnUsesIsReportedOnAnOtherwiseValidFile() {
        var (path, text) = file("delta", dependsOn: [], table: "warehouse.delta")
        text = text.replacingOccurrences(of: "  write_date: required", with: "  write_date: required\n  vat: optional")
        XCTAssertThrowsError(try PipelineCatalog.parseFile(path: path, text: text)) { error in
            XCTAssertEqual(
                "\(error)",
                """
                pipeline files are invalid (1 problem in pipelines/delta.yaml); nothing was synced:
                  pipelines/delta.yaml:6: fields.vat: 'vat' is read but no column, lookup or filter uses it — map it to a column or remove it from fields
                """)
        }
    }
}
