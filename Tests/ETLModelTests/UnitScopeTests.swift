import ETLModel
import XCTest

/// One scope per unit: every reader and reconciliation ask it for the same set of records.
final class UnitScopeTests: XCTestCase {
    func testTheDomainIsTheConditionThenTheExtraBoundsThenTheCompany() {
        let scope = UnitScope(model: "hr.expense", condition: .leaf("state", "!=", "draft"), companyID: 3)
        XCTAssertEqual(
            scope.domain(and: [.leaf("id", .greater, 7)]).description,
            "['&', '&', ('state', '!=', 'draft'), ('id', '>', 7), ('company_id', '=', 3)]")
        XCTAssertEqual(scope.context, OdooContext(activeTest: false, allowedCompanyIDs: [3]))
    }

    func testAModelWithoutACompanyFieldIsScopedByTheContextAlone() {
        let scope = UnitScope(model: "res.currency", companyID: 3, companyField: nil)
        XCTAssertEqual(scope.domain(), .all)
        XCTAssertEqual(scope.context.allowedCompanyIDs, [3])
    }

    func testAGlobalUnitHasNoCompanyCondition() {
        let scope = UnitScope(model: "res.company")
        XCTAssertNil(scope.companyCondition)
        XCTAssertEqual(scope.domain().description, "[]")
        XCTAssertNil(scope.context.allowedCompanyIDs)
    }
}
