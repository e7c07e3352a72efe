import ETLModel
import Foundation
import OdooRPC
import Postgres
import Sync
import TestSupport
import Warehouse
import XCTest

/// `verify` against a simulator whose every pipeline was synced into a fresh warehouse.
final class VerifyTests: XCTestCase {
    /// Shared by the tests that leave Odoo and the warehouse as they found them.
    nonisolated(unsafe) private static var shared: SyncedWarehouse?

    override class func tearDown() {
        shared?.stop()
        shared = nil
        super.tearDown()
    }

    private func world() throws -> SyncedWarehouse {
        if let world = Self.shared { return world }
        let world = try SyncedWarehouse(SyncedWarehouse.standardOptions())
        Self.shared = world
        return world
    }

    func testVerifyIsCleanAfterAFullSync() throws {
        let world = try world()
        let summary = try world.verify()

        XCTAssertEqual(summary.differences.map(\.description), [])
        XCTAssertEqual(summary.units.compactMap(\.failure), [])
        XCTAssertTrue(summary.isClean)
        let expenses = summary.units.filter { $0.unit.pipeline == "expenses" }
        XCTAssertEqual(expenses.map(\.unit.companyId), [1, 2, 3])
        XCTAssertEqual(expenses.map(\.odooRows).reduce(0, +), 3000)
        XCTAssertEqual(expenses.map(\.warehouseRows), expenses.map(\.odooRows))
        let measures = try XCTUnwrap(expenses.first?.measures)
        XCTAssertEqual(measures.month?.column, "date")
        XCTAssertEqual(
            measures.amounts.map(\.column),
            ["quantity", "price_unit", "total_amount_currency", "total_amount", "untaxed_amount_currency", "tax_amount"],
            "the numeric columns of warehouse.hr_expense that copy a float or monetary field this Odoo 18 has")
        let journal = try XCTUnwrap(summary.units.first { $0.unit.pipeline == "journal_items" }?.measures)
        XCTAssertEqual(journal.amounts.map(\.column), ["debit", "credit", "balance", "amount_currency", "tax_base_amount"])
        let partners = try XCTUnwrap(summary.units.first { $0.unit.pipeline == "partners" })
        XCTAssertNil(partners.unit.companyId, "a global pipeline is one unit")
        XCTAssertEqual(partners.measures?.amounts, [])
        XCTAssertNil(partners.measures?.month, "partners have no date column: counts only")
        XCTAssertGreaterThan(partners.odooRows, 0)
    }

    func testAChangedAmountIsReportedWithCompanyPipelineAndMonth() throws {
        let world = try world()
        let row = try XCTUnwrap(
            world.db.query(
                """
                SELECT odoo_id, total_amount::text AS amount, extract(year FROM date)::int AS year,
                       extract(month FROM date)::int AS month
                FROM warehouse.hr_expense WHERE company_id = 2 AND date IS NOT NULL ORDER BY odoo_id LIMIT 1
                """
            ).first)
        let id = try XCTUnwrap(row.int("odoo_id"))
        let original = try XCTUnwrap(row.string("amount"))
        try world.db.query("UPDATE warehouse.hr_expense SET total_amount = total_amount + 0.01 WHERE odoo_id = $1", [id])
        defer { _ = try? world.db.query("UPDATE warehouse.hr_expense SET total_amount = $1::numeric WHERE odoo_id = $2", [original, id]) }

        let summary = try world.verify()

        let differences = summary.differences
        XCTAssertEqual(differences.count, 1, differences.map(\.description).joined(separator: "\n"))
        let difference = try XCTUnwrap(differences.first)
        XCTAssertEqual(difference.pipeline, "expenses")
        XCTAssertEqual(difference.companyId, 2)
        XCTAssertEqual(difference.month, .month(year: Int(try XCTUnwrap(row.int("year"))), month: Int(try XCTUnwrap(row.int("month")))))
        XCTAssertEqual(difference.measure, "total_amount")
        XCTAssertEqual(
            try decimalCents(difference.warehouse) - decimalCents(difference.odoo), 1,
            "the warehouse holds one cent more than Odoo for that month")
        XCTAssertFalse(summary.isClean)
        let unit = try XCTUnwrap(summary.units.first { $0.unit == difference.unit })
        XCTAssertEqual(unit.status, .differs)
        XCTAssertEqual(unit.odooRows, unit.warehouseRows, "a changed amount does not change the count")
    }

    func testADeletedWarehouseRowIsReportedAsAMissingRowWithItsAmounts() throws {
        let world = try world()
        let row = try XCTUnwrap(
            world.db.query(
                """
                SELECT odoo_id, company_id, debit::text AS debit, credit::text AS credit,
                       extract(year FROM date)::int AS year, extract(month FROM date)::int AS month
                FROM warehouse.account_move_line WHERE company_id = 3 AND debit > 0 ORDER BY odoo_id LIMIT 1
                """
            ).first)
        let id = try XCTUnwrap(row.int("odoo_id"))
        try world.db.query("UPDATE warehouse.account_move_line SET deleted_at = now() WHERE odoo_id = $1", [id])
        defer { _ = try? world.db.query("UPDATE warehouse.account_move_line SET deleted_at = NULL WHERE odoo_id = $1", [id]) }

        let summary = try world.verify(companies: [.id(3)])

        let month = VerificationMonth.month(year: Int(try XCTUnwrap(row.int("year"))), month: Int(try XCTUnwrap(row.int("month"))))
        let differences = summary.differences
        XCTAssertTrue(
            differences.allSatisfy { $0.pipeline == "journal_items" && $0.companyId == 3 && $0.month == month },
            differences.map(\.description).joined(separator: "\n"))
        let rows = try XCTUnwrap(differences.first { $0.measure == "rows" })
        XCTAssertEqual(Int(rows.odoo), Int(rows.warehouse).map { $0 + 1 })
        let debit = try XCTUnwrap(differences.first { $0.measure == "debit" })
        XCTAssertEqual(try decimalCents(debit.odoo) - decimalCents(debit.warehouse), try decimalCents(XCTUnwrap(row.string("debit"))))
        XCTAssertNil(differences.first { $0.measure == "credit" }, "the deleted line had no credit, so credit sums agree")
        XCTAssertEqual(Set(summary.units.compactMap(\.unit.companyId)), [3], "--company 3 verifies company 3 only")
    }

    func testAMissingRowOfAGlobalPipelineIsReportedForAllMonths() throws {
        let world = try world()
        let id = try XCTUnwrap(world.db.query("SELECT max(odoo_id) AS id FROM warehouse.res_partner").first?.int("id"))
        try world.db.query("UPDATE warehouse.res_partner SET deleted_at = now() WHERE odoo_id = $1", [id])
        defer { _ = try? world.db.query("UPDATE warehouse.res_partner SET deleted_at = NULL WHERE odoo_id = $1", [id]) }

        let summary = try world.verify(pipelines: ["partners"])

        let difference = try XCTUnwrap(summary.differences.first)
        XCTAssertEqual(summary.differences.count, 1)
        XCTAssertEqual(difference.pipeline, "partners")
        XCTAssertNil(difference.companyId)
        XCTAssertEqual(difference.month, .all)
        XCTAssertEqual(difference.measure, "rows")
        XCTAssertEqual(Int(difference.odoo), Int(difference.warehouse).map { $0 + 1 })
        XCTAssertEqual(
            difference.description,
            "partners · all companies · all months · rows: Odoo \(difference.odoo), warehouse \(difference.warehouse)")
    }

    func testAnIncrementalSyncAfterOdooWritesMakesVerifyCleanAgain() throws {
        let world = try SyncedWarehouse(SyncedWarehouse.standardOptions())
        defer { world.stop() }
        let expense = try XCTUnwrap(
            world.db.query("SELECT odoo_id FROM warehouse.hr_expense WHERE company_id = 1 ORDER BY odoo_id LIMIT 1").first?.int("odoo_id"))
        try world.db.query("UPDATE warehouse.hr_expense SET total_amount = total_amount + 5 WHERE odoo_id = $1", [expense])
        try world.simulator.useRealClock()
        _ = try world.simulator.write(model: "hr.expense", ids: [Int(expense)], values: ["name": "Taxi, corrected"])
        let created = try world.simulator.create(model: "hr.expense", count: 40, companyID: 2)
        XCTAssertEqual(created.ids.count, 40)

        let before = try world.verify()
        XCTAssertTrue(before.differences.contains { $0.pipeline == "expenses" && $0.companyId == 1 && $0.measure == "total_amount" })
        XCTAssertTrue(before.differences.contains { $0.pipeline == "expenses" && $0.companyId == 2 && $0.measure == "rows" })

        let summary = try world.sync()
        XCTAssertEqual(summary.units.first { $0.unit.pipeline == "expenses" && $0.unit.companyId == 2 }?.inserted, 40)

        let after = try world.verify()
        XCTAssertEqual(after.differences.map(\.description), [])
        XCTAssertTrue(after.isClean)
    }

    /// `"-12.34"` → -1234.
    private func decimalCents(_ text: String) throws -> Int {
        let negative = text.hasPrefix("-")
        let digits = text.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertEqual(digits.count, 2, "\(text) has two decimals")
        let units = try XCTUnwrap(Int(digits[0]))
        let cents = try XCTUnwrap(Int(digits[1]))
        return (negative ? -1 : 1) * (units * 100 + cents)
    }
}

extension VerificationDifference {
    fileprivate var unit: SyncUnit { SyncUnit(pipeline: pipeline, companyId: companyId) }
}
