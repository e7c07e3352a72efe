import ETLModel
import Foundation
import Pipelines
import Postgres
import TestSupport
import Warehouse
import XCTest

final class BatchLoaderTests: WarehouseTestCase {
    private let unit = SyncUnit(pipeline: "expenses", companyId: 1)

    func testBatchAppliedTwiceRewritesNothing() throws {
        let loader = BatchLoader(connection: db)
        let rows = (1...500).map { expenseRow(Int64($0), amount: "\($0).25") }
        let batch = [
            RowBatch(table: Self.expenses, rows: rows), RowBatch(table: Self.expenseFacts, rows: (1...500).map { factRow(Int64($0)) }),
        ]
        let checkpoint = Checkpoint(second: at("2026-11-24 15:21:40"), id: 500)

        let first = try loader.load(batch, unit: unit, checkpoint: checkpoint)
        XCTAssertEqual(first["warehouse.test_expense"], LoadCounts(inserted: 500))
        XCTAssertEqual(first["analytics.test_fact_expense"], LoadCounts(inserted: 500))
        let before = try snapshot("warehouse.test_expense")
        let versionsBefore = try rowVersions("warehouse.test_expense")
        try db.query("SELECT pg_stat_force_next_flush()")
        let updatesBefore = try count("SELECT n_tup_upd AS n FROM pg_stat_user_tables WHERE relname = 'test_expense'")

        let second = try loader.load(batch, unit: unit, checkpoint: checkpoint)
        XCTAssertEqual(second["warehouse.test_expense"], LoadCounts(unchanged: 500))
        XCTAssertEqual(try snapshot("warehouse.test_expense"), before)
        XCTAssertEqual(try rowVersions("warehouse.test_expense"), versionsBefore, "no row may be rewritten")
        try db.query("SELECT pg_stat_force_next_flush()")
        XCTAssertEqual(try count("SELECT n_tup_upd AS n FROM pg_stat_user_tables WHERE relname = 'test_expense'"), updatesBefore)
        XCTAssertEqual(try count("SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = 'test_expense'"), 0)
    }

    func testOlderVersionNeverOverwritesNewer() throws {
        let loader = BatchLoader(connection: db)
        try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(7, writeDate: "2026-11-24 15:30:00", name: "new")])],
            unit: unit, checkpoint: nil)
        let counts = try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(7, writeDate: "2026-11-24 15:29:59", name: "old")])],
            unit: unit, checkpoint: nil)
        XCTAssertEqual(counts["warehouse.test_expense"], LoadCounts(unchanged: 1))
        XCTAssertEqual(try db.query("SELECT name FROM warehouse.test_expense WHERE odoo_id = 7").first?.string("name"), "new")
    }

    func testSameSecondChangeIsAppliedAndSameSecondRepeatIsNot() throws {
        let loader = BatchLoader(connection: db)
        try loader.load([RowBatch(table: Self.expenses, rows: [expenseRow(9, amount: "100.00")])], unit: unit, checkpoint: nil)
        let changed = try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(9, amount: "100.01")])], unit: unit, checkpoint: nil)
        XCTAssertEqual(changed["warehouse.test_expense"], LoadCounts(updated: 1))
        XCTAssertEqual(try db.query("SELECT amount FROM warehouse.test_expense WHERE odoo_id = 9").first?.numericText("amount"), "100.01")
        let repeated = try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(9, amount: "100.01")])], unit: unit, checkpoint: nil)
        XCTAssertEqual(repeated["warehouse.test_expense"], LoadCounts(unchanged: 1))
    }

    func testDuplicateKeysInOneBatchKeepTheNewestThenTheLast() throws {
        let loader = BatchLoader(connection: db)
        let rows = [
            expenseRow(3, writeDate: "2026-11-24 15:00:02", name: "newest"), expenseRow(3, writeDate: "2026-11-24 15:00:01", name: "older"),
            expenseRow(4, name: "first"), expenseRow(4, name: "last"),
        ]
        let counts = try loader.load([RowBatch(table: Self.expenses, rows: rows)], unit: unit, checkpoint: nil)
        XCTAssertEqual(counts["warehouse.test_expense"], LoadCounts(inserted: 2))
        let names = try db.query("SELECT name FROM warehouse.test_expense ORDER BY odoo_id").rows.map { try $0.string("name") }
        XCTAssertEqual(names, ["newest", "last"])
    }

    func testCheckpointAdvancesWithTheRowsAndNeverBackwards() throws {
        let loader = BatchLoader(connection: db)
        let state = SyncStateStore(db)
        XCTAssertNil(try state.checkpoint(unit))
        try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(1)])], unit: unit,
            checkpoint: Checkpoint(second: at("2026-11-24 15:21:40"), id: 1))
        XCTAssertEqual(try state.checkpoint(unit), Checkpoint(second: at("2026-11-24 15:21:40"), id: 1))
        try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(1)])], unit: unit,
            checkpoint: Checkpoint(second: at("2026-11-24 15:00:00"), id: 0))
        XCTAssertEqual(
            try state.checkpoint(unit), Checkpoint(second: at("2026-11-24 15:21:40"), id: 1), "a lookback re-read must not move it back")
        // Global units (no company) have their own row.
        let global = SyncUnit(pipeline: "partners", companyId: nil)
        try loader.load([], unit: global, checkpoint: Checkpoint(second: at("2026-01-01 00:00:00"), id: 5))
        XCTAssertEqual(try state.checkpoint(global)?.id, 5)
        XCTAssertEqual(try state.checkpoint(unit)?.id, 1)
    }

    func testFailureAtEveryStepLeavesDataAndCheckpointAsBefore() throws {
        let loader = BatchLoader(connection: db)
        let original = Checkpoint(second: at("2026-11-24 15:21:40"), id: 10)
        try loader.load([RowBatch(table: Self.expenses, rows: (1...10).map { expenseRow(Int64($0)) })], unit: unit, checkpoint: original)
        let dataBefore = try snapshot("warehouse.test_expense")
        let steps: [LoadStep] = [
            .stage(table: "warehouse.test_expense"), .copy(table: "warehouse.test_expense"),
            .merge(table: "warehouse.test_expense"), .insert(table: "analytics.test_fact_expense"),
            .checkpoint, .commit,
        ]
        struct Injected: Error {}
        for step in steps {
            loader.beforeStep = { if $0 == step { throw Injected() } }
            let changed = (1...20).map { expenseRow(Int64($0), writeDate: "2026-11-24 16:00:00", name: "changed") }
            XCTAssertThrowsError(
                try loader.load(
                    [
                        RowBatch(table: Self.expenses, rows: changed),
                        RowBatch(table: Self.expenseFacts, rows: (1...20).map { factRow(Int64($0)) }),
                    ],
                    unit: unit, checkpoint: Checkpoint(second: at("2026-11-24 16:00:00"), id: 20)),
                "step \(step)"
            ) { XCTAssertTrue($0 is Injected) }
            XCTAssertEqual(try snapshot("warehouse.test_expense"), dataBefore, "step \(step)")
            XCTAssertEqual(try count("SELECT count(*) AS n FROM analytics.test_fact_expense"), 0, "step \(step)")
            XCTAssertEqual(try SyncStateStore(db).checkpoint(unit), original, "step \(step)")
        }
    }

    func testNewRowsGoStraightInAndEqualWhatTheMergeWrites() throws {
        let loader = BatchLoader(connection: db)
        var steps: [LoadStep] = []
        loader.beforeStep = { steps.append($0) }
        let rows = (1...300).map { expenseRow(Int64($0), amount: "\($0).10") }
        let direct = try loader.load([RowBatch(table: Self.expenses, rows: rows)], unit: unit, checkpoint: nil)
        XCTAssertEqual(direct["warehouse.test_expense"], LoadCounts(inserted: 300))
        XCTAssertEqual(steps, [.insert(table: "warehouse.test_expense"), .commit], "new keys take the direct path")
        let inserted = try snapshot("warehouse.test_expense")

        // The same rows with one repeated: a key twice in a batch always goes through the merge.
        try db.execute(script: "TRUNCATE warehouse.test_expense")
        steps = []
        let merged = try loader.load([RowBatch(table: Self.expenses, rows: rows + [rows[0]])], unit: unit, checkpoint: nil)
        XCTAssertEqual(merged["warehouse.test_expense"], LoadCounts(inserted: 300))
        XCTAssertEqual(steps.first, .stage(table: "warehouse.test_expense"))
        XCTAssertEqual(try snapshot("warehouse.test_expense"), inserted, "both paths must write the same rows")

        // One existing key among new ones: the probe sees it and the batch is merged.
        steps = []
        let mixed = try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(300, amount: "300.10"), expenseRow(301)])],
            unit: unit, checkpoint: nil)
        XCTAssertEqual(mixed["warehouse.test_expense"], LoadCounts(inserted: 1, unchanged: 1))
        XCTAssertFalse(steps.contains(.insert(table: "warehouse.test_expense")))

        // New keys around an existing one (another company's ids interleave): still the direct path.
        try loader.load([RowBatch(table: Self.expenses, rows: [expenseRow(1500)])], unit: unit, checkpoint: nil)
        steps = []
        let around = try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(1000), expenseRow(2000)])], unit: unit, checkpoint: nil)
        XCTAssertEqual(around["warehouse.test_expense"], LoadCounts(inserted: 2))
        XCTAssertEqual(steps, [.insert(table: "warehouse.test_expense"), .commit])
    }

    func testAKeyInsertedByAnotherSessionDuringTheDirectCopyFallsBackToTheMerge() throws {
        let victim = try PostgresConnection(url)
        let loader = BatchLoader(connection: victim)
        var raced = false
        let racer = BatchLoader(connection: db)
        let racingRow = expenseRow(5, writeDate: "2026-11-24 15:00:00", name: "racer")
        loader.beforeStep = { step in
            guard step == .insert(table: "warehouse.test_expense"), !raced else { return }
            raced = true
            // Another session commits key 5 after the probe found it absent.
            try racer.load(
                [RowBatch(table: Self.expenses, rows: [racingRow])], unit: SyncUnit(pipeline: "other", companyId: 1), checkpoint: nil)
        }
        let rows = (1...50).map { expenseRow(Int64($0), writeDate: "2026-11-24 16:00:00", name: "ours") }
        let counts = try loader.load(
            [RowBatch(table: Self.expenses, rows: rows)], unit: unit,
            checkpoint: Checkpoint(second: at("2026-11-24 16:00:00"), id: 50))
        XCTAssertTrue(raced)
        XCTAssertEqual(counts["warehouse.test_expense"], LoadCounts(inserted: 49, updated: 1))
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense"), 50)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE name = 'ours'"), 50, "the newer version wins")
        XCTAssertEqual(try SyncStateStore(db).checkpoint(unit)?.id, 50)
    }

    func testRowsOfAnotherCompanyNeverTakeTheDirectPath() throws {
        let loader = BatchLoader(connection: db)
        var steps: [LoadStep] = []
        loader.beforeStep = { steps.append($0) }
        let counts = try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(1, company: 1), expenseRow(2, company: 2)])],
            unit: unit, checkpoint: nil)
        XCTAssertEqual(counts["warehouse.test_expense"], LoadCounts(inserted: 1, outOfScope: 1))
        XCTAssertEqual(steps.first, .stage(table: "warehouse.test_expense"))
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE company_id = 2"), 0)
    }

    func testKilledConnectionMidCopyLeavesNothingHalfWritten() throws {
        let victim = try PostgresConnection(url)
        let loader = BatchLoader(connection: victim)
        let original = Checkpoint(second: at("2026-11-24 15:21:40"), id: 1)
        try loader.load([RowBatch(table: Self.expenses, rows: [expenseRow(1)])], unit: unit, checkpoint: original)
        let killer = db!
        let pid = victim.backendPID
        var killed = false
        // Kill the backend after the first rows of the COPY are on the wire.
        loader.beforeStep = { step in
            if case .copy = step, !killed {
                killed = true
                try killer.query("SELECT pg_terminate_backend($1)", [Int(pid)])
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let rows = (1...50_000).map { expenseRow(Int64($0), writeDate: "2026-11-24 17:00:00", name: "half") }
        XCTAssertThrowsError(
            try loader.load(
                [RowBatch(table: Self.expenses, rows: rows)], unit: unit,
                checkpoint: Checkpoint(second: at("2026-11-24 17:00:00"), id: 50_000))
        ) { error in
            XCTAssertTrue((error as? PostgresError)?.isRetryable ?? false, "\(error)")
        }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense"), 1)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE name = 'half'"), 0)
        XCTAssertEqual(try SyncStateStore(db).checkpoint(unit), original)
    }

    func testScopedLoadTakesOnlyItsCompanyAndAMovedRecordEndsUpOnceUnderItsNewCompany() throws {
        let loader = BatchLoader(connection: db)
        let unitA = SyncUnit(pipeline: "expenses", companyId: 1)
        let unitB = SyncUnit(pipeline: "expenses", companyId: 2)
        try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(1, company: 1), expenseRow(2, company: 2)])], unit: unitB, checkpoint: nil)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense"), 1)
        XCTAssertEqual(
            try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE company_id = 1"), 0,
            "a unit of company 2 must not write company 1's rows")

        try loader.load([RowBatch(table: Self.expenses, rows: [expenseRow(1, company: 1)])], unit: unitA, checkpoint: nil)
        // Record 1 moves from company 1 to company 2 in Odoo.
        try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(1, company: 2, writeDate: "2026-11-24 18:00:00")])],
            unit: unitB, checkpoint: nil)
        let rows = try db.query("SELECT odoo_id, company_id FROM warehouse.test_expense WHERE odoo_id = 1").rows
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(try rows.first?.int("company_id"), 2)
        // Company 1's reconciliation no longer sees record 1 and must leave it alone.
        let result = try DeleteReconciler(db).reconcile(table: Self.expenses, companyId: 1, liveIds: [99])
        XCTAssertEqual(result.softDeleted, 0)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE deleted_at IS NOT NULL"), 0)
    }

    func testReconciliationSoftDeletesAndResurrectsWithinItsCompany() throws {
        let loader = BatchLoader(connection: db)
        try loader.load(
            [RowBatch(table: Self.expenses, rows: (1...5).map { expenseRow(Int64($0), company: 1) })],
            unit: SyncUnit(pipeline: "expenses", companyId: 1), checkpoint: nil)
        try loader.load(
            [RowBatch(table: Self.expenses, rows: (6...8).map { expenseRow(Int64($0), company: 2) })],
            unit: SyncUnit(pipeline: "expenses", companyId: 2), checkpoint: nil)
        let reconciler = DeleteReconciler(db)
        XCTAssertEqual(
            try reconciler.reconcile(table: Self.expenses, companyId: 1, liveIds: [1, 2, 4]), .init(softDeleted: 2, restored: 0))
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE deleted_at IS NOT NULL AND odoo_id IN (3, 5)"), 2)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE company_id = 2 AND deleted_at IS NULL"), 3)
        XCTAssertEqual(
            try reconciler.reconcile(table: Self.expenses, companyId: 1, liveIds: [1, 2, 3, 4]), .init(softDeleted: 0, restored: 1))
        XCTAssertThrowsError(try reconciler.reconcile(table: Self.expenses, companyId: 2, liveIds: [])) {
            XCTAssertTrue("\($0)".contains("no live records for warehouse.test_expense of company 2 while the warehouse holds 3"), "\($0)")
        }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE company_id = 2 AND deleted_at IS NULL"), 3)
        // A company with nothing live in the warehouse either: an empty answer is simply nothing to do.
        XCTAssertEqual(try reconciler.reconcile(table: Self.expenses, companyId: 7, liveIds: []), .init())
        // A soft-deleted row that Odoo sends again (same version) is brought back by the loader too.
        try loader.load(
            [RowBatch(table: Self.expenses, rows: [expenseRow(5, company: 1)])], unit: SyncUnit(pipeline: "expenses", companyId: 1),
            checkpoint: nil)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE odoo_id = 5 AND deleted_at IS NULL"), 1)
    }

    /// A pipeline's tables are reconciled together: when the second fails, the first keeps its rows live.
    func testReconciliationOfAPipelinesTablesIsOneTransaction() throws {
        let unit = SyncUnit(pipeline: "expenses", companyId: 1)
        try BatchLoader(connection: db).load(
            [
                RowBatch(table: Self.expenses, rows: (1...3).map { expenseRow(Int64($0)) }),
                RowBatch(table: Self.expenseFacts, rows: (1...3).map { factRow(Int64($0)) }),
            ],
            unit: unit, checkpoint: nil)
        try db.execute(
            script: """
                CREATE FUNCTION public.refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'analytics is being rebuilt'; END $$;
                CREATE TRIGGER refuse_update BEFORE UPDATE ON analytics.test_fact_expense FOR EACH ROW EXECUTE FUNCTION public.refuse_update();
                """)
        let reconciler = DeleteReconciler(db)
        XCTAssertThrowsError(try reconciler.reconcile(tables: [Self.expenses, Self.expenseFacts], companyId: 1, liveIds: [1]))
        XCTAssertEqual(
            try count("SELECT count(*) AS n FROM warehouse.test_expense WHERE deleted_at IS NOT NULL"), 0,
            "the record table's soft-deletes rolled back with the failed analytics table")

        try db.execute(script: "DROP TRIGGER refuse_update ON analytics.test_fact_expense")
        XCTAssertEqual(
            try reconciler.reconcile(tables: [Self.expenses, Self.expenseFacts], companyId: 1, liveIds: [1]),
            [.init(softDeleted: 2, restored: 0), .init(softDeleted: 2, restored: 0)])
    }

    func testMismatchedRowWidthIsAClearErrorAndWritesNothing() throws {
        let loader = BatchLoader(connection: db)
        XCTAssertThrowsError(
            try loader.load([RowBatch(table: Self.expenses, rows: [expenseRow(1), [.int(2)]])], unit: unit, checkpoint: nil)
        ) {
            XCTAssertTrue("\($0)".contains("row 2 for warehouse.test_expense has 1 values"), "\($0)")
        }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM warehouse.test_expense"), 0)
    }
}
