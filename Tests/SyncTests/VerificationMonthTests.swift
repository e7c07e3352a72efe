import ETLModel
import OdooRPC
import XCTest

@testable import Sync

/// The month of a `read_group` group, in the forms Odoo sends it.
final class VerificationMonthTests: XCTestCase {
    func testOdooMonthLabelsISODatesAndPairsAreRead() {
        XCTAssertEqual(VerificationMonth(odooGroupValue: .string("April 2026")), .month(year: 2026, month: 4))
        XCTAssertEqual(VerificationMonth(odooGroupValue: .string("Sep 2025")), .month(year: 2025, month: 9))
        XCTAssertEqual(VerificationMonth(odooGroupValue: .string("2025-12-01")), .month(year: 2025, month: 12))
        XCTAssertEqual(VerificationMonth(odooGroupValue: .string("2025-02")), .month(year: 2025, month: 2))
        XCTAssertEqual(VerificationMonth(odooGroupValue: .json(#"["2026-01-01","January 2026"]"#)), .month(year: 2026, month: 1))
        XCTAssertEqual(VerificationMonth(odooGroupValue: .date(OdooDate(year: 2024, month: 7, day: 15))), .month(year: 2024, month: 7))
    }

    func testFalseIsTheGroupOfEmptyDates() {
        XCTAssertEqual(VerificationMonth(odooGroupValue: .bool(false)), .undated)
        XCTAssertEqual(VerificationMonth(odooGroupValue: .null), .undated)
    }

    func testLabelsInOtherLanguagesAreRefusedRatherThanGuessed() {
        XCTAssertNil(VerificationMonth(odooGroupValue: .string("avril 2026")))
        XCTAssertNil(VerificationMonth(odooGroupValue: .string("W14 2026")))
        XCTAssertNil(VerificationMonth(odooGroupValue: .string("2026-13")))
        XCTAssertNil(VerificationMonth(odooGroupValue: .int(4)))
    }

    func testMonthsSortBeforeUndatedAndAllAndPrintAsISO() {
        let months: [VerificationMonth] = [.all, .undated, .month(year: 2025, month: 11), .month(year: 2024, month: 12)]
        XCTAssertEqual(months.sorted().map(\.description), ["2024-12", "2025-11", "no date", "all months"])
    }
}
