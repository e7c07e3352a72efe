import ETLModel
import XCTest

@testable import Pipelines

/// Money lands as exact decimal text: rounded half away from zero from the Double's shortest
/// representation (what Odoo meant), never through float arithmetic.
final class MoneyTests: XCTestCase {
    private func money(_ value: Double, scale: Int = 2) throws -> Cell {
        try CellConversion.cell(.float(value), type: .numeric(precision: 18, scale: scale))
    }

    func testRoundsTheShortestRepresentationHalfAwayFromZero() throws {
        let cases: [(Double, String)] = [
            (0.1 + 0.2, "0.30"),  // 0.30000000000000004
            (1234.565, "1234.57"),  // float arithmetic would give 1234.56 (binary 1234.5649999…)
            (-1234.565, "-1234.57"),
            (2.675, "2.68"),  // binary 2.67499999…
            (-2500.0, "-2500.00"),
            (0.005, "0.01"),
            (-0.005, "-0.01"),
            (0.0049999, "0.00"),
            (9.995, "10.00"),
            (99.995, "100.00"),
            (1e-7, "0.00"),
            (-1e-7, "0.00"),  // never "-0.00"
            (-0.0, "0.00"),
            (0, "0.00"),
            (36512.5, "36512.50"),
            (1e15, "1000000000000000.00"),
            (9_999_999_999_999_998, "9999999999999998.00"),
            (123_456_789_012.345, "123456789012.35"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(try money(value), .numeric(expected), "\(value)")
        }
    }

    /// The whole-units fast path must agree with the exact digit path on every value, ties and
    /// near-ties included.
    func testFastPathAgreesWithTheExactPath() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0.1 + 0.2, 1234.565, 2.675, 9.995, -0.005, 0.0049999, 1e-7, -1e-7, -0.0, 1e11, 999_999_999_999.99]
        for _ in 0..<20_000 {
            let cents = Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &generator)
            let amount = Double(cents) / 100
            values += [amount, amount + 0.005, amount - 0.005, amount.nextUp, amount.nextDown, Double(cents) / 1000, amount * 1.1]
        }
        for scale in [0, 2, 4, 6] {
            for value in values {
                let exact = try XCTUnwrap(ExactDecimal(value))
                let expected = exact.text(scale: scale)
                guard let units = ScaledMoney.units(value, scale: scale) else { continue }
                XCTAssertEqual(ScaledMoney.text(units: units, scale: scale), expected, "\(value) at scale \(scale)")
                XCTAssertEqual(
                    ScaledMoney.integerDigitCount(units: units, scale: scale), exact.integerDigitCount(roundedTo: scale), "\(value)")
            }
        }
    }

    func testOtherScales() throws {
        XCTAssertEqual(try money(-2.0, scale: 4), .numeric("-2.0000"))
        XCTAssertEqual(try money(108.84, scale: 4), .numeric("108.8400"))
        XCTAssertEqual(try money(123456.5, scale: 0), .numeric("123457"))
        XCTAssertEqual(try money(0.00005, scale: 4), .numeric("0.0001"))
        XCTAssertEqual(try CellConversion.cell(.int(5), type: .numeric(precision: 18, scale: 2)), .numeric("5.00"))
    }

    /// `money` keeps what Odoo stored: at least 2 decimals, more when the currency has them (KWD,
    /// BHD, OMR: 3), float noise of a computed value rounded away at 6.
    func testMoneyKeepsEveryCurrencysDecimals() throws {
        let cases: [(Double, String)] = [
            (2500, "2500.00"),
            (-2500.5, "-2500.50"),
            (1.235, "1.235"),  // a Kuwaiti dinar amount, not 1.24
            (-0.125, "-0.125"),
            (123_456_789_012.345, "123456789012.345"),
            (108.8425, "108.8425"),
            (0.1 + 0.2, "0.30"),  // 0.30000000000000004
            (1234.5600000000002, "1234.56"),
            (12.3456789, "12.345679"),
            (1e-7, "0.00"),
            (-1e-7, "0.00"),
            (1e20, "100000000000000000000.00"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(try CellConversion.cell(.float(value), type: .money), .numeric(expected), "\(value)")
        }
        XCTAssertEqual(try CellConversion.cell(.int(1500), type: .money), .numeric("1500.00"))
        XCTAssertEqual(ColumnType.money.sql, "numeric")
        XCTAssertThrowsError(try CellConversion.cell(.float(.nan), type: .money))
    }

    func testValuesTooLargeForTheColumnAreRefusedNotTruncated() {
        for value in [1e16, -1e16, 99_999_999_999_999_999.0, 1.7976931348623157e308] {
            XCTAssertThrowsError(try money(value), "\(value)") { error in
                let mismatch = error as? CellConversion.Mismatch
                XCTAssertEqual(
                    mismatch?.problem.hasSuffix("does not fit numeric(18,2) (at most 16 digits before the point)"),
                    true, "\(error)")
            }
        }
    }

    func testNonFiniteValuesAreRefused() {
        XCTAssertThrowsError(try money(.nan))
        XCTAssertThrowsError(try money(.infinity))
    }

    func testExactDecimalParsesEveryDescriptionForm() throws {
        XCTAssertEqual(ExactDecimal(1e-7)?.description, "0.0000001")
        XCTAssertEqual(ExactDecimal(1.2345e20)?.description, "123450000000000000000")
        XCTAssertEqual(ExactDecimal(-2500.0)?.description, "-2500")
        XCTAssertEqual(ExactDecimal(Double.leastNonzeroMagnitude)?.description.count, 326)
        XCTAssertEqual(ExactDecimal(Int64.min).description, "-9223372036854775808")
    }
}
