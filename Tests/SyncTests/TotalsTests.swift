import Foundation
import Postgres
import Sync
import TestSupport
import XCTest

/// After a full sync, the analytics facts add up to the simulator's own exact totals, company by
/// company, to the cent.
final class TotalsTests: XCTestCase {
    func testFactTotalsEqualTheSimulatorsTotalsPerCompanyToTheCent() throws {
        var options = SyncedWarehouse.standardOptions()
        options.seed = 7
        let world = try SyncedWarehouse(options)
        defer { world.stop() }

        let expenses = try world.simulator.totals(model: "hr.expense", field: "total_amount")
        let debits = try world.simulator.totals(model: "account.move.line", field: "debit")
        let credits = try world.simulator.totals(model: "account.move.line", field: "credit")
        let expenseFacts = try factTotals(world.db, table: "analytics.fact_expense", column: "amount")
        let debitFacts = try factTotals(world.db, table: "analytics.fact_journal_item", column: "debit")
        let creditFacts = try factTotals(world.db, table: "analytics.fact_journal_item", column: "credit")

        for company in ["1", "2", "3"] {
            let expense = try XCTUnwrap(expenses.groups[company], "the simulator has expenses in company \(company)")
            XCTAssertGreaterThan(expense.count, 0)
            XCTAssertEqual(expenseFacts[company], Total(count: expense.count, cents: expense.cents), "fact_expense of company \(company)")
            let debit = try XCTUnwrap(debits.groups[company])
            let credit = try XCTUnwrap(credits.groups[company])
            XCTAssertGreaterThan(debit.cents, 0)
            XCTAssertEqual(debit.cents, credit.cents, "the simulator's moves balance in company \(company)")
            XCTAssertEqual(
                debitFacts[company], Total(count: debit.count, cents: debit.cents), "fact_journal_item debit of company \(company)")
            XCTAssertEqual(
                creditFacts[company], Total(count: credit.count, cents: credit.cents), "fact_journal_item credit of company \(company)")
        }
        XCTAssertEqual(Set(expenseFacts.keys), Set(expenses.groups.keys), "no fact row belongs to a company the simulator lacks")
        XCTAssertEqual(Set(debitFacts.keys), Set(debits.groups.keys))
        XCTAssertTrue(try world.verify().isClean)
    }

    private struct Total: Equatable {
        var count: Int
        var cents: Int
    }

    /// Live rows and their sum in cents per company, computed exactly by PostgreSQL.
    private func factTotals(_ db: PostgresConnection, table: String, column: String) throws -> [String: Total] {
        let result = try db.query(
            """
            SELECT coalesce(company_id::text, 'null') AS company, count(*) AS rows, (sum(\(column)) * 100)::bigint AS cents
            FROM \(table) WHERE deleted_at IS NULL GROUP BY 1
            """)
        var totals: [String: Total] = [:]
        for row in result.rows {
            totals[try XCTUnwrap(row.string("company"))] = Total(
                count: Int(try XCTUnwrap(row.int("rows"))),
                cents: Int(try XCTUnwrap(row.int("cents"))))
        }
        return totals
    }
}
