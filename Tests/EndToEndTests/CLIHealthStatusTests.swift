import Foundation
import Postgres
import TestSupport
import XCTest

/// `health` and `status` through the built binary, against the Odoo simulator and a real PostgreSQL.
final class CLIHealthStatusTests: XCTestCase {
    private var services: HealthStatusServices!

    override func setUpWithError() throws {
        services = try HealthStatusServices()
    }

    override func tearDown() {
        services?.simulator.stop()
        services = nil
    }

    // MARK: - health

    func testHealthPassesWhenEveryServiceAnswers() throws {
        try services.migrate()
        let result = try services.run(["health", "--env", "local"])
        XCTAssertEqual(result.status, 0, result.transcript)
        XCTAssertEqual(result.stderr, "")
        try Golden.assertMatches(services.masked(result.transcript), "health-all-pass.txt")
    }

    func testHealthReportsEachFailureWithWhatToDo() throws {
        try services.migrate()
        var variables = services.variables
        variables["ODOO_LOCAL_PASSWORD"] = "wrong-\(HealthStatusServices.odooPassword)"
        variables["SUPABASE_LOCAL_DB_URL"] = nil
        variables["SUPERSET_LOCAL_METADATA_DB_URL"] = ""
        let text = try services.run(["health", "--env", "local"], variables: variables)
        XCTAssertEqual(text.status, 1, text.transcript)
        try Golden.assertMatches(services.masked(text.transcript), "health-failures.txt")

        let json = try services.run(["health", "--env", "local", "--json"], variables: variables)
        XCTAssertEqual(json.status, 1, json.transcript)
        try Golden.assertMatches(services.masked(json.transcript), "health-failures.json.txt")
        let checks = try XCTUnwrap(try HealthStatusServices.jsonObject(json.stdout)["checks"] as? [[String: Any]])
        let statuses = Dictionary(uniqueKeysWithValues: checks.map { ($0["name"] as? String ?? "", $0["status"] as? String ?? "") })
        XCTAssertEqual(
            statuses,
            [
                "odoo.web_login": "pass", "odoo.version": "pass", "odoo.login": "fail", "warehouse.connect": "fail",
                "warehouse.migrations": "skipped", "superset.health": "pass", "superset.metadata_db": "fail",
            ])
        let login = try XCTUnwrap(checks.first { $0["name"] as? String == "odoo.login" })
        XCTAssertTrue((login["detail"] as? String ?? "").contains("login failed for user \(HealthStatusServices.odooLogin)"), "\(login)")
    }

    func testHealthSkipsSupersetWhenTheEnvironmentHasNoSupersetBlock() throws {
        try services.migrate()
        let result = try services.run(["health", "--env", "nosuperset", "--json"])
        XCTAssertEqual(result.status, 0, result.transcript)
        let checks = try XCTUnwrap(try HealthStatusServices.jsonObject(result.stdout)["checks"] as? [[String: Any]])
        for name in ["superset.health", "superset.metadata_db"] {
            let check = try XCTUnwrap(checks.first { $0["name"] as? String == name })
            XCTAssertEqual(check["status"] as? String, "skipped")
            XCTAssertEqual(check["detail"] as? String, "because the environment has no superset block")
        }
        XCTAssertEqual(checks.filter { $0["status"] as? String == "pass" }.count, 5)
    }

    func testHealthNamesPendingAndDriftedMigrations() throws {
        let pending = try services.run(["health", "--env", "local"])
        XCTAssertEqual(pending.status, 1, pending.transcript)
        let migrations = try XCTUnwrap(pending.stdout.components(separatedBy: "\n").firstIndex { $0.contains("warehouse.migrations") })
        let lines = pending.stdout.components(separatedBy: "\n")
        XCTAssertTrue(lines[migrations].hasPrefix("FAIL"), pending.stdout)
        XCTAssertTrue(lines[migrations].contains("13 pending: 0001_etl_schema.sql, 0010_tenant_security.sql"), pending.stdout)
        XCTAssertTrue(lines[migrations + 1].hasSuffix("what to do: run odoo-etl migrate --env local"), pending.stdout)

        try services.migrate()
        let view = services.workspace.directory.appendingPathComponent("warehouse/0020_reporting_views.sql")
        try (String(contentsOf: view, encoding: .utf8) + "\n-- edited after it was applied\n").write(
            to: view, atomically: true, encoding: .utf8)
        let drifted = try services.run(["health", "--env", "local"])
        XCTAssertEqual(drifted.status, 1, drifted.transcript)
        XCTAssertTrue(drifted.stdout.contains("changed after they were applied: 0020_reporting_views.sql"), drifted.stdout)
    }

    func testHealthFailsWithoutAMigrationsDirectory() throws {
        try services.migrate()
        try FileManager.default.removeItem(at: services.workspace.directory.appendingPathComponent("warehouse"))
        let result = try services.run(["health", "--env", "local", "--json"])
        XCTAssertEqual(result.status, 1, result.transcript)
        let checks = try XCTUnwrap(try HealthStatusServices.jsonObject(result.stdout)["checks"] as? [[String: Any]])
        let migrations = try XCTUnwrap(checks.first { $0["name"] as? String == "warehouse.migrations" })
        XCTAssertEqual(migrations["status"] as? String, "fail")
        XCTAssertTrue((migrations["detail"] as? String ?? "").hasPrefix("no migrations directory at "), "\(migrations)")
        XCTAssertTrue((migrations["hint"] as? String ?? "").contains("--pipelines DIR"), "\(migrations)")
    }

    func testHealthChecksOnlyAPostgresMetadataDatabase() throws {
        try services.migrate()
        var variables = services.variables
        variables["SUPERSET_LOCAL_METADATA_DB_URL"] = "mysql+mysqldb://superset:\(HealthStatusServices.databasePassword)@127.0.0.1/superset"
        let result = try services.run(["health", "--env", "local", "--json"], variables: variables)
        XCTAssertEqual(result.status, 0, result.transcript)
        let checks = try XCTUnwrap(try HealthStatusServices.jsonObject(result.stdout)["checks"] as? [[String: Any]])
        let metadata = try XCTUnwrap(checks.first { $0["name"] as? String == "superset.metadata_db" })
        XCTAssertEqual(metadata["status"] as? String, "skipped")
        XCTAssertEqual(metadata["detail"] as? String, "because the metadata database is mysql, and odoo-etl checks only PostgreSQL")
    }

    func testHealthRefusesTheTransactionPooler() throws {
        var variables = services.variables
        variables["SUPABASE_LOCAL_DB_URL"] = "postgresql://etl:\(HealthStatusServices.databasePassword)@127.0.0.1:6543/postgres"
        let result = try services.run(["health", "--env", "local", "--json"], variables: variables)
        XCTAssertEqual(result.status, 1, result.transcript)
        let checks = try XCTUnwrap(try HealthStatusServices.jsonObject(result.stdout)["checks"] as? [[String: Any]])
        let connect = try XCTUnwrap(checks.first { $0["name"] as? String == "warehouse.connect" })
        XCTAssertEqual(connect["status"] as? String, "fail")
        XCTAssertTrue((connect["detail"] as? String ?? "").contains("transaction pooler"), "\(connect)")
        XCTAssertEqual(
            connect["hint"] as? String,
            "point SUPABASE_LOCAL_DB_URL at the direct connection or the session pooler (port 5432)")
        let migrations = try XCTUnwrap(checks.first { $0["name"] as? String == "warehouse.migrations" })
        XCTAssertEqual(migrations["status"] as? String, "skipped")
    }

    func testHealthWhenOdooDoesNotAnswer() throws {
        try services.migrate()
        try services.writeMatrix(odooURL: "http://127.0.0.1:1")
        let result = try services.run(["health", "--env", "local"])
        XCTAssertEqual(result.status, 1, result.transcript)
        let lines = result.stdout.components(separatedBy: "\n")
        for name in ["odoo.web_login", "odoo.version"] {
            let line = try XCTUnwrap(lines.first { $0.contains(" \(name) ") }, result.stdout)
            XCTAssertTrue(line.hasPrefix("FAIL") && line.contains("Could not connect to http://127.0.0.1:1"), line)
        }
        let login = try XCTUnwrap(lines.first { $0.contains(" odoo.login ") }, result.stdout)
        XCTAssertTrue(login.hasPrefix("skipped") && login.contains("because Odoo's XML-RPC did not answer"), login)
        XCTAssertTrue(result.stdout.hasSuffix("health: 4 passed, 2 failed, 1 skipped\n"), result.stdout)
    }

    // MARK: - status

    func testStatusOfAnUnmigratedWarehouseSaysToMigrate() throws {
        let result = try services.run(["status", "--env", "local"])
        XCTAssertEqual(result.status, 1, result.transcript)
        try Golden.assertMatches(result.transcript, "status-not-migrated.txt")
    }

    func testStatusAfterASyncShowsEachUnitsCheckpointAndLastRun() throws {
        try services.migrate()
        let empty = try services.run(["status", "--env", "local"])
        XCTAssertEqual(empty.status, 0, empty.transcript)
        XCTAssertEqual(empty.stdout, "no pipeline has a checkpoint or a run in environment 'local' yet; run odoo-etl sync --env local\n")

        let sync = try services.run(["sync", "--env", "local", "--pipeline", "companies", "--pipeline", "taxes"])
        XCTAssertEqual(sync.status, 0, sync.transcript)
        let result = try services.run(["status", "--env", "local", "--json"])
        XCTAssertEqual(result.status, 0, result.transcript)
        let units = try XCTUnwrap(try HealthStatusServices.jsonObject(result.stdout)["units"] as? [[String: Any]])
        XCTAssertEqual(
            units.map { "\($0["pipeline"] ?? "") \($0["company_id"] ?? "")" },
            ["companies <null>", "taxes 1", "taxes 2"])
        let database = try PostgresConnection(services.databaseURL)
        for unit in units {
            let run = try XCTUnwrap(unit["last_run"] as? [String: Any], "\(unit)")
            XCTAssertEqual(run["status"] as? String, "ok")
            XCTAssertEqual(run["kind"] as? String, "sync")
            XCTAssertNotNil(unit["checkpoint"] as? [String: Any], "\(unit)")
            XCTAssertEqual(unit["flags"] as? [String], [])
            let table = unit["pipeline"] as? String == "companies" ? "warehouse.res_company" : "warehouse.account_tax"
            let companyFilter = (unit["company_id"] as? Int).map { " WHERE company_id = \($0)" } ?? ""
            let rows = try database.query("SELECT count(*) AS n FROM \(table)\(companyFilter)").first?.int("n")
            XCTAssertEqual((run["inserted"] as? Int).map(Int64.init), rows, "\(unit)")
        }
        XCTAssertEqual(
            units[1]["company_name"] as? String,
            try database.query(
                "SELECT name FROM warehouse.res_company WHERE odoo_id = 1"
            ).first?.string("name"))

        let text = try services.run(["status", "--env", "local"])
        let lines = text.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "status of environment 'local' (times UTC)")
        XCTAssertTrue(lines[1].hasPrefix("pipeline   company"), text.stdout)
        XCTAssertTrue(lines[2].hasPrefix("companies  global"), text.stdout)
        XCTAssertTrue(text.stdout.hasSuffix("\n3 units: 0 with a failed or interrupted last run, 0 with a run still open\n"), text.stdout)
    }

    func testStatusShowsLagErrorsAndUnitsWithoutACheckpoint() throws {
        try services.migrate()
        try services.recordHistory()
        let text = try services.run(["status", "--env", "local"])
        XCTAssertEqual(text.status, 0, text.transcript)
        try Golden.assertMatches(HealthStatusServices.maskedCheckpoints(text.transcript), "status-history.txt")
        let json = try services.run(["status", "--env", "local", "--json"])
        XCTAssertEqual(json.status, 0, json.transcript)
        try Golden.assertMatches(HealthStatusServices.maskedCheckpoints(json.transcript), "status-history.json.txt")
        XCTAssertNoThrow(try HealthStatusServices.jsonObject(json.stdout))
    }

    func testStatusTellsARunInProgressFromACrashedOne() throws {
        try services.migrate()
        // Every page of partners takes a second, so the unit stays open long enough to be seen.
        try services.simulator.inject(.init(.delay(seconds: 1), count: nil, method: "search_read", model: "res.partner"))
        let running = try services.start(["sync", "--env", "local", "--pipeline", "partners"])
        let inProgress = try services.waitForOpenRun(pipeline: "partners")
        XCTAssertEqual(inProgress["flags"] as? [String], ["in_progress"], "\(inProgress)")
        let text = try services.run(["status", "--env", "local"])
        XCTAssertTrue(text.stdout.contains("partners (global): run 1 in progress since "), text.stdout)
        try services.simulator.clearFaults()
        running.waitUntilExit()
        XCTAssertEqual(running.terminationStatus, 0)

        try services.simulator.inject(.init(.delay(seconds: 1), count: nil, method: "search_read", model: "res.partner"))
        let doomed = try services.start(["sync", "--env", "local", "--pipeline", "partners", "--full"])
        _ = try services.waitForOpenRun(pipeline: "partners", newerThan: 1)
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        let crashed = try services.run(["status", "--env", "local", "--json"])
        let unit = try XCTUnwrap((try HealthStatusServices.jsonObject(crashed.stdout)["units"] as? [[String: Any]])?.first)
        XCTAssertEqual(unit["flags"] as? [String], ["possibly_crashed"], "\(unit)")
        XCTAssertEqual((unit["last_run"] as? [String: Any])?["status"] as? String, "running")
        XCTAssertTrue(unit["last_run"].flatMap { ($0 as? [String: Any])?["seconds"] } is NSNull, "\(unit)")
        let crashedText = try services.run(["status", "--env", "local"])
        XCTAssertTrue(crashedText.stdout.contains("partners (global): POSSIBLY CRASHED: run 2, started "), crashedText.stdout)
        XCTAssertTrue(
            crashedText.stdout.hasSuffix("1 unit: 0 with a failed or interrupted last run, 1 with a run still open\n"),
            crashedText.stdout)
    }
}
