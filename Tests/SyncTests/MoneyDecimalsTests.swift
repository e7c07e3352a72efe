import Foundation
import Postgres
import Sync
import TestSupport
import XCTest

/// Amounts reach the warehouse with every decimal Odoo stored: a Kuwaiti dinar amount keeps its
/// third decimal, a peso amount its two, and `verify` agrees with Odoo to the centavo.
final class MoneyDecimalsTests: XCTestCase {
    func testAThreeDecimalCurrencyAmountIsKeptWhole() throws {
        let world = try SyncedWarehouse(SyncedWarehouse.oneCompany(expenses: 50), pipelines: ["companies", "employees", "expenses"])
        defer { world.stop() }
        let dinar = try world.simulator.create(
            model: "res.currency", count: 1,
            values: [
                "name": "KWD", "symbol": "KD", "full_name": "Kuwaiti dinar", "decimal_places": 3, "rounding": 0.001,
            ]
        ).ids[0]
        // Odoo rounds a monetary value to its currency's decimals when it stores it: 3 for the
        // dinar, 2 for the peso.
        _ = try world.simulator.write(
            model: "hr.expense", ids: [1, 2], values: ["currency_id": dinar, "total_amount_currency": 1234.5674])
        _ = try world.simulator.write(model: "hr.expense", ids: [3], values: ["total_amount_currency": 2500.004])
        try world.sync(pipelines: ["expenses"])
        let amounts = try world.db.query(
            """
            SELECT string_agg(currency_name || ' ' || total_amount_currency::text, ', ' ORDER BY odoo_id) AS amounts
            FROM warehouse.hr_expense WHERE odoo_id IN (1, 2, 3)
            """
        ).first?.string("amounts")
        XCTAssertEqual(amounts, "KWD 1234.567, KWD 1234.567, PHP 2500.00")
        XCTAssertEqual(
            try world.db.query("SELECT sum(total_amount_currency)::text AS s FROM warehouse.hr_expense WHERE odoo_id IN (1, 2)")
                .first?.string("s"), "2469.134", "sums are exact, not rounded per row")
        XCTAssertTrue(try world.verify(pipelines: ["expenses"]).isClean)
        let again = try world.sync(pipelines: ["expenses"])
        XCTAssertEqual(again.units.map(\.updated).reduce(0, +), 0, "an unchanged 3-decimal amount is not rewritten")
    }
}
