import Foundation
import TestSupport
import XCTest

/// `sync` through the built binary against the Odoo simulator and a real PostgreSQL: a full load,
/// then incremental runs after every kind of change Odoo can make.
final class EngineEndToEndSyncTests: EngineEndToEndTestCase {
    func testFullSyncLoadsEveryRecordOnceUnderItsCompanyWithAmountsToTheCent() throws {
        try prepare(.small)
        try workspace.succeed(["migrate", "--env", "local"])
        let result = try workspace.succeed(["sync", "--env", "local"])
        XCTAssertTrue(result.stdout.contains("23 units, 0 failed, 0 busy"), result.stdout)

        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse)
        XCTAssertEqual(try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse), 23)

        // Each unit inserted exactly its company's records (global units: all of them), in batches.
        let runs = try runRows(after: 0)
        XCTAssertEqual(runs.count, 23, "\(runs)")
        for expectation in PipelineExpectation.all {
            let records = try expectation.records(in: simulator)
            let perCompany = Dictionary(grouping: records, by: \.company).mapValues(\.count)
            let units = runs.filter { $0.pipeline == expectation.pipeline }
            XCTAssertEqual(units.count, expectation.companyIsOwnId || expectation.pipeline == "partners" ? 1 : 3, "\(units)")
            for run in units {
                XCTAssertEqual(run.status, "ok", "\(run)")
                XCTAssertEqual(run.inserted, run.company == "null" ? records.count : perCompany[run.company] ?? 0, "\(run)")
                XCTAssertEqual(run.updated, 0, "\(run)")
            }
        }
        XCTAssertTrue(runs.filter { $0.pipeline == "expenses" }.allSatisfy { $0.batches >= 2 }, "\(runs)")

        // Sums per company against the simulator's exact decimal totals, to the cent.
        for (model, field, table) in [
            ("hr.expense", "total_amount", "warehouse.hr_expense"),
            ("account.move", "amount_total_signed", "warehouse.account_move"),
            ("account.move.line", "balance", "warehouse.account_move_line"),
        ] {
            let totals = try simulator.totals(model: model, field: field)
            let sums = Dictionary(
                uniqueKeysWithValues: try warehouse.rows(
                    "SELECT company_id::text, sum(\(field))::text, count(*)::text FROM \(table) GROUP BY 1"
                ).map { ($0[0] ?? "", $0) })
            XCTAssertEqual(Set(sums.keys), Set(totals.groups.keys), table)
            for (company, total) in totals.groups {
                XCTAssertEqual(sums[company]?[1], total.sum, "\(table).\(field) of company \(company)")
                XCTAssertEqual(sums[company]?[2], String(total.count), "\(table) rows of company \(company)")
            }
        }
        try workspace.succeed(["verify", "--env", "local"])
    }

    /// Cron and systemd send stdout and stderr to one journal; with `--log-format json` every line
    /// of both must parse, the summary included.
    func testJSONLogFormatWritesNothingButJSONLines() throws {
        try prepare(.small)
        try workspace.succeed(["migrate", "--env", "local"])
        let result = try workspace.succeed(["--log-format", "json", "sync", "--env", "local", "--pipeline", "expenses"])
        var levels: [String] = []
        for line in (result.stdout + result.stderr).split(whereSeparator: \.isNewline) {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["ts"], "not a JSON log line: \(line)")
            levels.append(object?["level"] as? String ?? "?")
        }
        XCTAssertGreaterThan(levels.count, 5, result.transcript)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(summary["msg"] as? String, "Odoo 18.0-20250506: 3 units, 0 failed, 0 busy", result.stdout)
        let fields = try XCTUnwrap(summary["fields"] as? [String: Any])
        XCTAssertEqual(fields["units"] as? Int, 3)
        XCTAssertEqual(fields["failed"] as? Int, 0)
    }

    func testIncrementalSyncAppliesCreatesWritesArchivesAndUnlinksAndNothingElse() throws {
        try prepare(.small)
        try workspace.migrateAndSync()
        let odooBefore = try odooState()
        let warehouseBefore = try warehouse.snapshot(schemas: WarehouseExpectations.schemas)

        let created = try simulator.create(model: "hr.expense", count: 3, companyID: 1, values: ["name": "Grab to Ortigas site visit"])
        let rewritten = try [2, 3].map { company in try firstIds("hr.expense", company: company, count: 2)[1] }
        _ = try simulator.write(
            model: "hr.expense", ids: rewritten, values: ["name": "Client dinner (corrected)", "total_amount": 4321.09])
        let sharedPartners = ids(
            try simulator.control(
                "read",
                [
                    "model": "res.partner", "fields": ["id"],
                    "domain": [["active", "=", true], ["company_id", "=", false]],
                ]))
        let archivedPartner = try XCTUnwrap(sharedPartners.max())
        let archivedEmployee = try firstIds("hr.employee", company: 1, count: 1)[0]
        _ = try simulator.write(model: "res.partner", ids: [archivedPartner], values: ["active": false])
        _ = try simulator.write(model: "hr.employee", ids: [archivedEmployee], values: ["active": false])
        let unlinkedExpense = try firstIds("hr.expense", company: 3, count: 3)[2]
        let unlinkedMove = try firstIds("account.move", company: 2, count: 1)[0]
        let movesLines = ids(try simulator.control("read", ["model": "account.move.line", "domain": [["move_id", "=", unlinkedMove]]]))
        XCTAssertFalse(movesLines.isEmpty, "the unlinked move must have lines for the cascade to be checked")
        try simulator.unlink(model: "hr.expense", ids: [unlinkedExpense])
        try simulator.unlink(model: "account.move", ids: [unlinkedMove])
        let odooAfter = try odooState()

        let lastRun = try workspace.lastRunId()
        let result = try workspace.succeed(["sync", "--env", "local", "--reconcile"])
        XCTAssertTrue(result.stdout.contains("23 units, 0 failed, 0 busy"), result.stdout)

        // The warehouse changed exactly where Odoo did: every table, row by row (synced_at included).
        let warehouseAfter = try warehouse.snapshot(schemas: WarehouseExpectations.schemas)
        for expectation in PipelineExpectation.all {
            for table in expectation.tables {
                let keyed = try keyFunction(table.name)
                let before = odooBefore[expectation.pipeline]!.filter(table.includes)
                let after = odooAfter[expectation.pipeline]!.filter(table.includes)
                let beforeById = Dictionary(uniqueKeysWithValues: before.map { ($0.id, $0) })
                let afterIds = Set(after.map(\.id))
                let added = Set(after.filter { beforeById[$0.id] == nil }.map(keyed))
                let rewrittenInOdoo = after.filter { record in
                    beforeById[record.id].map { $0.values["write_date"] as? String != record.values["write_date"] as? String } ?? false
                }
                let changed = Set(rewrittenInOdoo.map(keyed)).union(before.filter { !afterIds.contains($0.id) }.map(keyed))
                let difference = SnapshotDifference(before: warehouseBefore[table.name] ?? [:], after: warehouseAfter[table.name] ?? [:])
                XCTAssertEqual(difference.added, added, "\(table.name): rows added")
                XCTAssertEqual(difference.changed, changed, "\(table.name): rows changed")
                XCTAssertEqual(difference.removed, [], "\(table.name): rows removed (deletes must be soft)")
            }
        }
        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse)
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse)

        // What landed, value by value.
        XCTAssertEqual(
            try warehouse.lines(
                """
                SELECT company_id::text, name FROM warehouse.hr_expense WHERE odoo_id = ANY(\(arrayLiteral(created.ids)))
                """), Array(repeating: "1 | Grab to Ortigas site visit", count: 3))
        XCTAssertEqual(
            try warehouse.lines(
                """
                SELECT name, total_amount::text FROM warehouse.hr_expense WHERE odoo_id = ANY(\(arrayLiteral(rewritten)))
                """), Array(repeating: "Client dinner (corrected) | 4321.09", count: 2))
        XCTAssertEqual(
            try warehouse.lines("SELECT amount::text FROM analytics.fact_expense WHERE odoo_id = ANY(\(arrayLiteral(rewritten)))"),
            ["4321.09", "4321.09"])
        for (table, id) in [
            ("warehouse.res_partner", archivedPartner), ("analytics.dim_partner", archivedPartner),
            ("warehouse.hr_employee", archivedEmployee), ("analytics.dim_employee", archivedEmployee),
        ] {
            XCTAssertEqual(
                try warehouse.lines("SELECT active::text, (deleted_at IS NULL)::text FROM \(table) WHERE odoo_id = \(id)"),
                ["false | true"], "archived \(table) \(id) stays, inactive")
        }
        for (table, ids) in [
            ("warehouse.hr_expense", [unlinkedExpense]), ("analytics.fact_expense", [unlinkedExpense]),
            ("warehouse.account_move", [unlinkedMove]), ("warehouse.account_move_line", movesLines),
            ("analytics.fact_journal_item", movesLines),
        ] {
            XCTAssertEqual(
                try warehouse.count(
                    """
                    SELECT count(*) FROM \(table) WHERE odoo_id = ANY(\(arrayLiteral(ids))) AND deleted_at IS NOT NULL
                    """), ids.count, "unlinked rows of \(table) are soft-deleted")
        }

        // The run log counts the same changes.
        let runs = try runRows(after: lastRun)
        XCTAssertTrue(runs.allSatisfy { $0.status == "ok" && $0.kind == "sync" }, "\(runs)")
        func total(_ pipeline: String, _ value: KeyPath<RunRow, Int>) -> Int {
            runs.filter { $0.pipeline == pipeline }.map { $0[keyPath: value] }.reduce(0, +)
        }
        XCTAssertEqual(total("expenses", \.inserted), 3)
        XCTAssertEqual(total("expenses", \.updated), 2)
        XCTAssertEqual(total("expenses", \.deleted), 1)
        XCTAssertEqual(total("partners", \.updated), 1)
        XCTAssertEqual(total("employees", \.updated), 1)
        XCTAssertEqual(total("invoices", \.deleted), 1)
        XCTAssertEqual(total("journal_items", \.deleted), movesLines.count)
        XCTAssertEqual(
            runs.filter { !["expenses", "partners", "employees"].contains($0.pipeline) }.map { $0.inserted + $0.updated }.reduce(0, +), 0,
            "\(runs)")

        // The same incremental run again: nothing inserted, updated or deleted, not one byte rewritten.
        let settled = try workspace.lastRunId()
        let again = try workspace.succeed(["sync", "--env", "local", "--reconcile"])
        XCTAssertTrue(again.stdout.contains("23 units, 0 failed, 0 busy"), again.stdout)
        let quiet = try runRows(after: settled)
        XCTAssertEqual(quiet.count, 23)
        for run in quiet {
            XCTAssertEqual([run.inserted, run.updated, run.deleted], [0, 0, 0], "\(run)")
        }
        XCTAssertEqual(try warehouse.snapshot(schemas: WarehouseExpectations.schemas), warehouseAfter)
        try workspace.succeed(["verify", "--env", "local"])
    }

    // MARK: - Helpers

    /// Every pipeline's records as the simulator stores them now.
    private func odooState() throws -> [String: [OdooRecord]] {
        var state: [String: [OdooRecord]] = [:]
        for expectation in PipelineExpectation.all {
            state[expectation.pipeline] = try expectation.records(in: simulator)
        }
        return state
    }

    /// The lowest `count` ids of `model` in `company`.
    private func firstIds(_ model: String, company: Int, count: Int) throws -> [Int] {
        let found = try ids(simulator.control("read", ["model": model, "domain": [["company_id", "=", company]], "fields": ["id"]]))
        XCTAssertGreaterThanOrEqual(found.count, count, "\(model) of company \(company)")
        return Array(found.sorted().prefix(count))
    }

    private func ids(_ answer: [String: Any]) -> [Int] {
        (answer["records"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    /// How a table's primary key renders a record in snapshots: `odoo_id`, or `company_id/odoo_id`.
    private func keyFunction(_ table: String) throws -> (OdooRecord) -> String {
        try warehouse.primaryKey(of: table) == ["odoo_id"] ? { String($0.id) } : { $0.key }
    }

    /// `'{1,2}'::bigint[]`: the ids are integers, so writing them into the SQL is safe.
    private func arrayLiteral(_ ids: [Int]) -> String {
        "'{" + ids.map(String.init).joined(separator: ",") + "}'::bigint[]"
    }
}
