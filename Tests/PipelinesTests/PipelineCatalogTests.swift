import Odoo
@testable import Pipelines
import XCTest

/// The repository's own pipeline files load, validate and order their dependencies.
final class PipelineCatalogTests: XCTestCase {
    func testRepositoryPipelinesLoadInDependencyOrder() throws {
        let catalog = try Fixtures.catalog()
        let names = catalog.pipelines.map(\.name)
        XCTAssertEqual(Set(names), ["companies", "partners", "employees", "taxes", "expenses", "expense_reports",
                                    "invoices", "journal_items", "bir_tax_lines"])
        for pipeline in catalog.pipelines {
            for dependency in pipeline.dependsOn {
                XCTAssertLessThan(try XCTUnwrap(names.firstIndex(of: dependency)),
                                  try XCTUnwrap(names.firstIndex(of: pipeline.name)),
                                  "\(dependency) must come before \(pipeline.name)")
            }
        }
        XCTAssertEqual(names.first, "companies")
    }
}
