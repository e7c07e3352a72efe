import Foundation
import Postgres
import TestSupport
import XCTest

/// `odoo-etl verify` through the built binary: a clean warehouse exits 0, a changed amount exits 1
/// naming the pipeline, the company and the month.
final class CLIVerifyTests: XCTestCase {
    private var simulator: OdooSimulator?

    override func tearDown() {
        simulator?.stop()
        simulator = nil
        super.tearDown()
    }

    func testVerifyAfterSyncIsCleanThenNamesTheChangedMonth() throws {
        var options = OdooSimulator.Options()
        options.companies = 2
        options.expenses = 600
        options.moves = 60
        options.partners = 20
        options.employees = 6
        let simulator = try OdooSimulator(options)
        self.simulator = simulator
        let (databaseURL, db) = try PostgresHarness.shared.connectToNewDatabase()
        let workspace = try CLIWorkspace(pipelines: [])
        try workspace.writeMatrix(
            """
            environments:
              local:
                odoo: {url: \(simulator.url.absoluteString), database: \(simulator.database), login_env: ODOO_LOCAL_LOGIN, password_env: ODOO_LOCAL_PASSWORD}
                supabase: {url: http://localhost, db_url_env: SUPABASE_LOCAL_DB_URL}
            """)
        let environment = [
            "ODOO_LOCAL_LOGIN": simulator.login, "ODOO_LOCAL_PASSWORD": simulator.password,
            "SUPABASE_LOCAL_DB_URL": databaseURL,
        ]
        let pipelines = TestPaths.pipelines.path
        func run(_ arguments: [String]) throws -> CLIResult {
            try workspace.run(["--pipelines", pipelines] + arguments + ["--env", "local"], environment: environment)
        }

        XCTAssertEqual(try run(["migrate"]).status, 0)
        let sync = try run(["sync"])
        XCTAssertEqual(sync.status, 0, sync.transcript)

        let clean = try run(["verify"])
        XCTAssertEqual(clean.status, 0, clean.transcript)
        XCTAssertTrue(clean.stdout.contains("Odoo and the warehouse agree"), clean.transcript)
        XCTAssertFalse(clean.stdout.contains("differs"), clean.transcript)

        let changed = try XCTUnwrap(
            db.query(
                """
                UPDATE warehouse.hr_expense SET tax_amount = tax_amount - 1
                WHERE odoo_id = (SELECT min(odoo_id) FROM warehouse.hr_expense WHERE company_id = 2 AND date IS NOT NULL)
                RETURNING to_char(date, 'YYYY-MM') AS month
                """
            ).first?.string("month"))
        let company = try XCTUnwrap(db.query("SELECT name FROM warehouse.res_company WHERE odoo_id = 2").first?.string("name"))

        let differs = try run(["verify", "--company", "2"])
        XCTAssertEqual(differs.status, 1, differs.transcript)
        XCTAssertTrue(differs.stdout.contains("DIFFERS expenses · \(company) (2):\n  \(changed) · tax_amount: Odoo "), differs.transcript)
        XCTAssertEqual(
            differs.stdout.components(separatedBy: "\n  ").count - 1, 1, "exactly one difference is listed\n" + differs.transcript)
        XCTAssertTrue(differs.stdout.contains("verify: 9 units, 1 differ, 0 failed"), differs.transcript)
        XCTAssertFalse(differs.stdout.contains(simulator.password) || differs.stderr.contains(databaseURL), "no secret is printed")
    }
}
