import ETLModel
import XCTest

/// Days typed on the command line must exist; Odoo's own dates are read as sent.
final class OdooDateValidationTests: XCTestCase {
    func testRealDaysPassAndImpossibleOnesSayWhy() {
        XCTAssertEqual(try OdooDate.validating("2024-02-29").get(), OdooDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(OdooDate.validating("2023-02-29"), .failure(.noSuchDay(year: 2023, month: 2, days: 28)))
        XCTAssertEqual(OdooDate.validating("2024-13-01"), .failure(.noSuchMonth(13)))
        XCTAssertEqual(OdooDate.validating("2024-1-01"), .failure(.notInForm))
        XCTAssertEqual(OdooDate.validating("0000-01-01"), .failure(.notInForm))
        XCTAssertEqual(OdooDate.validating("２０２４-01-01"), .failure(.notInForm), "only ASCII digits")
    }
}
