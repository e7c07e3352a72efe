import Foundation
import TestSupport
import XCTest

/// `pg_ctl restart -m fast` of the warehouse server while a sync runs: every session ends with
/// SQLSTATE 57P01, connections are refused for a moment, then the server is back. The run either
/// rides it out (reconnect, retake the unit's lock, redo the batch) or fails its units cleanly;
/// a rerun finishes the job.
final class ChaosRestartTests: ChaosTestCase {
    func testPostgresRestartMidRunThenARerunConverges() throws {
        try prepare(scenario: "postgres_restart", expenses: settings.restartExpenses, expenseBatch: 100, backoff: Self.warehouseBackoff)
        let server = try ChaosPostgresServer()
        defer { server.stop() }
        let warehouse = try ChaosWarehouse(workspace: workspace, url: try server.createDatabase("chaos_restart"))
        try migrate(warehouse)
        let connectionsBefore = try server.authorizedConnections(database: warehouse.databaseName, applicationName: "odoo-etl")

        var restarts = 0
        var runs = 0
        var reruns = 0
        var expectedConnections = 0
        var rewritten = 0
        var lastRunSeconds = 4.0
        var outcomes: [String] = []
        var failures: [String] = []
        var restartSeconds: [Double] = []
        func record(_ result: CLIResult) {
            let log = EngineLog(result.stderr)
            expectedConnections += 1 + log.unitStatuses.count
            failures += log.unitFailures
        }
        while restarts < settings.restarts {
            runs += 1
            guard runs <= settings.restarts * 4 else {
                XCTFail("only \(restarts) of \(settings.restarts) restarts landed in a run")
                break
            }
            let command = try startSyncAndWaitAMoment(warehouse, lastRunSeconds: &lastRunSeconds)
            guard command.isRunning else {
                let result = command.wait()
                XCTAssertEqual(result.status, 0, result.transcript)
                record(result)
                rewritten += try rewriteExpenses(count: settings.restartExpenses / 3).count
                continue
            }
            let began = Date()
            try server.restartFast()
            restartSeconds.append(Date().timeIntervalSince(began))
            restarts += 1
            try warehouse.reconnect()
            let result = finish(command)
            record(result)
            XCTAssertTrue([0, 1].contains(result.status), "exit \(result.status) after a restart:\n\(result.transcript)")
            outcomes.append(result.status == 0 ? "rode it out" : "exit \(result.status)")
            // Then a rerun, always: it must finish whatever the interrupted run left.
            var settled = false
            while !settled {
                reruns += 1
                let rerun = try warehouse.run(["sync", "--env", "local"])
                record(rerun)
                settled = rerun.status == 0
                guard reruns <= 5 * restarts else {
                    XCTFail("reruns after a restart keep failing:\n\(rerun.transcript)")
                    break
                }
            }
            if restarts < settings.restarts { rewritten += try rewriteExpenses(count: settings.restartExpenses / 3).count }
        }
        let connections =
            try server.authorizedConnections(database: warehouse.databaseName, applicationName: "odoo-etl") - connectionsBefore
        let reconnections = connections - expectedConnections

        try conclude(
            "postgres_restart", warehouse, faultsInjected: restarts, retries: reconnections + reruns,
            details: [
                "\(restarts) fast restarts of the warehouse server mid-run (down "
                    + restartSeconds.map { String(format: "%.1f s", $0) }.joined(separator: ", ") + "); the runs: "
                    + outcomes.joined(separator: ", ") + "; \(rewritten) expenses rewritten to give later runs work",
                "retries = \(reconnections) engine reconnections (server connection log, beyond one session per run and per unit) + "
                    + "\(reruns) reruns (one after each restart, more if one failed)",
            ] + failures.prefix(3).map { "a unit failure: \($0.prefix(300))" })
    }

    /// A server that stays down for a second (refusing connections, not just ending sessions):
    /// the run waits it out, reconnecting until it is back, and finishes without failing a unit.
    func testARunWaitsOutAServerThatStaysDownForASecond() throws {
        try prepare(scenario: "postgres_down", expenses: settings.restartExpenses, expenseBatch: 100, backoff: Self.warehouseBackoff)
        let server = try ChaosPostgresServer()
        defer { server.stop() }
        let warehouse = try ChaosWarehouse(workspace: workspace, url: try server.createDatabase("chaos_down"))
        try migrate(warehouse)
        var bounces = 0
        var reconnections = 0
        var hit = false
        var lastRunSeconds = 1.0
        while !hit {
            guard bounces + 1 <= 5 else { return XCTFail("the server never went down under a run's warehouse work") }
            let connectionsBefore = try server.authorizedConnections(database: warehouse.databaseName, applicationName: "odoo-etl")
            let firstRun = try warehouse.inspector.count("SELECT coalesce(max(run_id), 0) FROM etl.sync_runs") + 1
            let command = try startSyncAndWaitAMoment(warehouse, lastRunSeconds: &lastRunSeconds)
            guard command.isRunning else {
                XCTAssertEqual(command.wait().status, 0)
                _ = try rewriteExpenses(count: settings.restartExpenses / 2)
                continue
            }
            try server.bounce(downSeconds: 1)
            bounces += 1
            try warehouse.reconnect()
            let back = try warehouse.inspector.value("SELECT now()::text")
            let result = finish(command)
            XCTAssertEqual(result.status, 0, "the run must wait the server out, not fail its units:\n\(result.transcript)")
            let log = EngineLog(result.stderr)
            XCTAssertEqual(log.unitFailures, [], result.stderr)
            // Beyond one session for the run and one per unit.
            reconnections +=
                try server.authorizedConnections(database: warehouse.databaseName, applicationName: "odoo-etl")
                - connectionsBefore - 1 - log.unitStatuses.count
            // The bounce counts only if the run still had warehouse work after it: a unit closed later.
            hit =
                try warehouse.inspector.count(
                    "SELECT count(*) FROM etl.sync_runs WHERE run_id >= $1 AND finished_at > $2::timestamptz",
                    [String(firstRun), back]) > 0
            if !hit { _ = try rewriteExpenses(count: settings.restartExpenses / 2) }
        }
        try conclude(
            "postgres_down", warehouse, faultsInjected: bounces, retries: reconnections,
            details: [
                "the warehouse server stopped for 1 s under a running sync (connections refused meanwhile), \(bounces) time(s) until one "
                    + "landed before the run's last warehouse work; every run waited it out with exit 0",
                "retries = \(reconnections) engine reconnections (server connection log, beyond one session per run and per unit)",
            ])
    }

    /// Starts a sync and waits a random moment within the length of the last run. A run that
    /// finishes first was too quick to hit: its length becomes the window of the next attempt.
    private func startSyncAndWaitAMoment(_ warehouse: ChaosWarehouse, lastRunSeconds: inout Double) throws -> RunningCommand {
        let command = try warehouse.start(["sync", "--env", "local"])
        let started = Date()
        let deadline = started.addingTimeInterval(random.seconds(0.1...max(0.2, lastRunSeconds * 0.8)))
        while command.isRunning && Date() < deadline { usleep(5_000) }
        if !command.isRunning { lastRunSeconds = Date().timeIntervalSince(started) }
        return command
    }
}
