import ETLModel
import Foundation
import OdooRPC
import Postgres
import Sync
import TestSupport
import XCTest

/// A load that fails with a transient error while its session stays healthy (serialization
/// failure, deadlock) is retried, and the unit still ends ok and verified.
final class LoadRetryTests: XCTestCase {
    func testASerializationFailureOnALiveSessionIsRetried() throws {
        let world = try SyncedWarehouse(SyncedWarehouse.oneCompany(expenses: 300), pipelines: ["companies", "employees"])
        defer { world.stop() }
        try failExpenseInserts(world, times: 1)

        let summary = try world.sync(pipelines: ["expenses"])

        let expenses = try XCTUnwrap(summary.units.first { $0.unit.pipeline == "expenses" })
        XCTAssertEqual(expenses.status, .ok, expenses.message ?? "")
        XCTAssertEqual(expenses.inserted, 300)
        XCTAssertEqual(
            try world.db.query("SELECT last_value FROM public.failed_inserts").first?.int("last_value"), 2,
            "the load failed once and succeeded on its second attempt")
        XCTAssertTrue(try world.verify(pipelines: ["expenses"]).isClean)
    }

    /// `etl.retries` governs the warehouse as it governs Odoo: attempts and waits come from the policy.
    func testWarehouseRetriesTakeTheirAttemptsAndBackoffFromTheRetryPolicy() throws {
        let world = try SyncedWarehouse(SyncedWarehouse.oneCompany(expenses: 100), pipelines: ["companies", "employees"])
        defer { world.stop() }
        try failExpenseInserts(world, times: 2)
        let waits = RecordedWaits()
        var settings = world.settings
        settings.retryPolicy = RetryPolicy(
            maxAttempts: 2, initialBackoff: 0.125, maxBackoff: 0.125, jitter: 0,
            sleep: { waits.append($0) })
        var syncOptions = SyncOptions()
        syncOptions.pipelines = ["expenses"]
        let failed = try SyncEngine(settings: settings, catalog: world.catalog, events: RecordedEvents()).run(syncOptions)
        let unit = try XCTUnwrap(failed.units.first { $0.unit.pipeline == "expenses" })
        XCTAssertEqual(unit.status, .failed)
        XCTAssertTrue(unit.message?.contains("40001") ?? false, unit.message ?? "")
        XCTAssertEqual(waits.all, [0.125], "two attempts in all, one wait of the policy's initial backoff")
        XCTAssertEqual(try world.db.query("SELECT count(*) AS n FROM warehouse.hr_expense").first?.int("n"), 0)

        // The third insert succeeds: the default policy's run loads everything.
        let summary = try world.sync(pipelines: ["expenses"])
        XCTAssertEqual(summary.units.first { $0.unit.pipeline == "expenses" }?.inserted, 100)
    }
}

/// The first `times` loads of expenses fail with a serialization failure (40001); a sequence
/// survives the rollback, so it counts every attempt.
private func failExpenseInserts(_ world: SyncedWarehouse, times: Int) throws {
    try world.db.execute(
        script: """
            CREATE SEQUENCE public.failed_inserts;
            CREATE FUNCTION public.fail_expense_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('public.failed_inserts') <= \(times) THEN
                RAISE EXCEPTION 'simulated serialization failure' USING ERRCODE = '40001';
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER fail_expense_inserts BEFORE INSERT ON warehouse.hr_expense
                FOR EACH STATEMENT EXECUTE FUNCTION public.fail_expense_inserts();
            """)
}

/// The waits a retry policy asked for, in order, from whichever thread.
final class RecordedWaits: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [TimeInterval] = []
    var all: [TimeInterval] { lock.withLock { waits } }
    func append(_ wait: TimeInterval) { lock.withLock { waits.append(wait) } }
}
