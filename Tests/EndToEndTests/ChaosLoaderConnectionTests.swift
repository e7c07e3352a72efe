import Foundation
import TestSupport
import XCTest

/// `pg_terminate_backend` on the loader's sessions (application_name = 'odoo-etl') at random
/// moments while syncs run; rerun until a run is clean; compare. Runs on a server of its own,
/// whose connection log counts the engine's reconnections.
final class ChaosLoaderConnectionTests: ChaosTestCase {
    func testTerminatedLoaderSessionsAreRetriedAndRerunsConverge() throws {
        try prepare(
            scenario: "pg_terminate_backend", expenses: settings.terminationExpenses, expenseBatch: 100, backoff: Self.warehouseBackoff)
        let server = try ChaosPostgresServer()
        defer { server.stop() }
        let warehouse = try ChaosWarehouse(workspace: workspace, url: try server.createDatabase("chaos_terminate"))
        try migrate(warehouse)
        let killer = try WarehouseInspector(url: warehouse.url)
        let connectionsBefore = try server.authorizedConnections(database: warehouse.databaseName, applicationName: "odoo-etl")

        var terminated = 0
        var runs = 0
        var expectedConnections = 0
        var rewritten = 0
        var exitStatuses: [Int32] = []
        var failedUnits: [String] = []
        var failures: [String] = []
        while true {
            runs += 1
            guard runs <= 20 else {
                XCTFail("no clean run after \(runs - 1) runs")
                break
            }
            let command = try warehouse.start(["sync", "--env", "local"])
            while command.isRunning && terminated < settings.terminations {
                usleep(UInt32(random.seconds(0.1...0.6) * 1_000_000))
                let pids = try killer.rows(
                    """
                    SELECT pid::text FROM pg_stat_activity WHERE application_name = 'odoo-etl' AND datname = current_database() ORDER BY pid
                    """
                ).compactMap { $0[0] }
                guard !pids.isEmpty else { continue }
                let pid = pids[random.integer(0...(pids.count - 1))]
                if try killer.value("SELECT pg_terminate_backend(\(pid))::text") == "true" { terminated += 1 }
            }
            let result = finish(command)
            exitStatuses.append(result.status)
            let statuses = EngineLog(result.stderr).unitStatuses
            // One session per run for the preflight and one per unit that ran: any more are reconnections.
            expectedConnections += 1 + statuses.count
            failedUnits += statuses.filter { $0.value != "ok" }.map { "\($0.key) \($0.value)" }
            failures += EngineLog(result.stderr).unitFailures
            XCTAssertTrue(
                [0, 1].contains(result.status), "exit \(result.status) is neither success nor a failed unit:\n\(result.transcript)")
            if result.status == 0 && terminated >= settings.terminations { break }
            if result.status == 0 {
                // Finished before every termination was spent: give the next run work.
                rewritten += try rewriteExpenses(count: settings.terminationExpenses / 4).count
            }
        }
        let connections =
            try server.authorizedConnections(database: warehouse.databaseName, applicationName: "odoo-etl") - connectionsBefore
        let reconnections = connections - expectedConnections
        XCTAssertGreaterThanOrEqual(reconnections, 0, "fewer sessions than units: the count of connections is off")

        try conclude(
            "pg_terminate_backend", warehouse, faultsInjected: terminated, retries: reconnections + runs - 1,
            details: [
                "\(terminated) loader sessions terminated at random moments (0.1-0.6 s apart) over \(runs) run(s); exit statuses "
                    + exitStatuses.map(String.init).joined(separator: ", ") + "; \(rewritten) expenses rewritten between runs",
                "retries = \(reconnections) engine reconnections (sessions in the server's connection log beyond one per run and "
                    + "one per unit) + \(runs - 1) reruns; units not ok: "
                    + (failedUnits.isEmpty ? "none" : failedUnits.joined(separator: "; ")),
            ] + failures.prefix(3).map { "a unit failure: \($0.prefix(300))" })
    }
}
