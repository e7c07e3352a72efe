import Foundation
import TestSupport
import XCTest

/// Two and three syncs started at once against one warehouse: each unit is run by exactly the one
/// run holding its advisory lock, the others report it busy, and the warehouse is exactly Odoo
/// right after every round.
final class ChaosOverlapTests: ChaosTestCase {
    func testOverlappingRunsReportBusyUnitsAndCorruptNothing() throws {
        try prepare(scenario: "overlap", expenses: settings.overlapExpenses, expenseBatch: 100)
        let warehouse = try ChaosWarehouse(workspace: workspace)
        try migrate(warehouse)
        // Slower Odoo pages (well under the timeout), so the runs of a round really overlap.
        try simulator.inject(.init(.delay(seconds: 0.03), count: nil, method: "search_read"))

        var audits = ChaosAudit()
        var extraRuns = 0
        var busyReported = 0
        var busyLogged = 0
        var busyRecorded = 0
        var unitsRun = 0
        var rounds: [String] = []
        for round in 1...settings.overlapRounds {
            let concurrent = round.isMultiple(of: 2) ? 3 : 2
            if round > 1 { try rewriteExpenses(count: settings.overlapExpenses / 5) }
            let full = settings.mode == .full && round % 3 == 0
            let before = try lastRunId(warehouse)
            var commands: [RunningCommand] = []
            for index in 0..<concurrent {
                if index > 0 { usleep(UInt32(random.seconds(0...0.3) * 1_000_000)) }
                commands.append(try warehouse.start(["sync", "--env", "local"] + (full ? ["--full"] : [])))
            }
            let results = commands.map { finish($0) }
            extraRuns += concurrent - 1

            for result in results {
                XCTAssertTrue([0, 75].contains(result.status), "an overlapping run failed:\n\(result.transcript)")
                let statuses = EngineLog(result.stderr).unitStatuses.values
                XCTAssertFalse(statuses.contains("failed"), result.transcript)
                busyLogged += statuses.filter { $0 == "busy" }.count
                busyReported += Self.busyInSummary(result.stdout)
            }
            // Every run reported every unit; at least one of them ran it to completion (two can, one
            // after the other, when the first released the lock before the second came to the unit).
            let rows = try warehouse.inspector.rows(
                """
                SELECT pipeline || '/' || coalesce(company_id::text, 'all'), status FROM etl.sync_runs WHERE run_id > \(before)
                """)
            let byUnit = Dictionary(grouping: rows, by: { $0[0] ?? "" }).mapValues { $0.compactMap { $0[1] } }
            XCTAssertEqual(byUnit.count, 23, "units in round \(round): \(byUnit.keys.sorted())")
            for (unit, statuses) in byUnit {
                XCTAssertGreaterThanOrEqual(statuses.filter { $0 == "ok" }.count, 1, "\(unit) in round \(round): \(statuses)")
                XCTAssertEqual(statuses.filter { $0 != "ok" && $0 != "busy" }, [], "\(unit) in round \(round)")
                XCTAssertEqual(statuses.count, concurrent, "\(unit) in round \(round) was not reported by every run: \(statuses)")
            }
            unitsRun += byUnit.count
            let busy = rows.filter { $0[1] == "busy" }.count
            busyRecorded += busy
            rounds.append(
                "\(concurrent) runs\(full ? " --full" : ""): exits \(results.map { String($0.status) }.joined(separator: "/")), \(busy) busy"
            )

            var audit = try ChaosAudit.measure(try OdooSnapshot.take(simulator), warehouse.inspector)
            XCTAssertTrue(
                audit.isClean, "after overlapping round \(round): \(audit.summary)\n  " + audit.examples.joined(separator: "\n  "))
            audit.recordsCompared = 0  // the end state's count is the one reported
            audits.add(audit)
        }
        XCTAssertEqual(busyReported, busyLogged, "the summaries and the logs disagree on busy units")
        XCTAssertEqual(busyRecorded, busyLogged, "etl.sync_runs and the logs disagree on busy units")

        try conclude(
            "overlap", warehouse, faultsInjected: extraRuns, retries: 0,
            details: [
                "\(settings.overlapRounds) rounds, \(extraRuns) runs overlapping another: " + rounds.joined(separator: "; "),
                "\(busyReported) units reported busy (summaries = JSON logs = etl.sync_runs), each of \(unitsRun) units ok in at least one run of "
                    + "its round, none failed; retries 0: no transient fault was injected and a busy unit is left to its lock holder",
                "the warehouse equalled Odoo after every round, not only at the end",
            ], earlier: audits)
    }

    /// "… 23 units, 0 failed, 17 busy" from a run's summary.
    private static func busyInSummary(_ stdout: String) -> Int {
        guard let match = stdout.range(of: #"(\d+) busy"#, options: .regularExpression) else { return 0 }
        return Int(stdout[match].split(separator: " ")[0]) ?? 0
    }
}
