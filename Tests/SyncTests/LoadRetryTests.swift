import Foundation
import Odoo
import Postgres
import Sync
import TestSupport
import XCTest

/// A load that fails with a transient error while its session stays healthy (serialization
/// failure, deadlock) is retried, and the unit still ends ok and verified.
final class LoadRetryTests: XCTestCase {
    func testASerializationFailureOnALiveSessionIsRetried() throws {
        var options = OdooSimulator.Options()
        options.companies = 1
        options.expenses = 300
        options.moves = 20
        let world = try SyncedWarehouse(options, pipelines: ["companies", "employees"])
        defer { world.stop() }
        // A sequence survives the rollback, so only the first load of the expenses fails.
        try world.db.execute(script: """
            CREATE SEQUENCE public.fail_once;
            CREATE FUNCTION public.fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('public.fail_once') = 1 THEN
                RAISE EXCEPTION 'simulated serialization failure' USING ERRCODE = '40001';
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER fail_once BEFORE INSERT ON warehouse.hr_expense FOR EACH STATEMENT EXECUTE FUNCTION public.fail_once();
            """)

        let started = Date()
        let summary = try world.sync(pipelines: ["expenses"])

        let expenses = try XCTUnwrap(summary.units.first { $0.unit.pipeline == "expenses" })
        XCTAssertEqual(expenses.status, .ok, expenses.message ?? "")
        XCTAssertEqual(expenses.inserted, 300)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the retry did not wait for a lock its own session holds")
        XCTAssertEqual(try world.db.query("SELECT last_value FROM public.fail_once").first?.int("last_value"), 2,
                       "the load failed once and succeeded on its second attempt")
        XCTAssertTrue(try world.verify(pipelines: ["expenses"]).isClean)
    }
}
