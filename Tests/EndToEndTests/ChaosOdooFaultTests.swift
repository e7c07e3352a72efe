import Foundation
import TestSupport
import XCTest

/// The simulator misbehaves as proxies and overloaded Odoo servers do, at random positions of the
/// run: HTTP errors, answers slower than the client's timeout, dropped and reset connections,
/// truncated and HTML bodies, bursts of faults on one page in the middle of paging, a fault that
/// is not transient, and records written, created and unlinked while the engine pages through them.
final class ChaosOdooFaultTests: ChaosTestCase {
    /// One phase of the matrix: its fault rules, drawn at random positions.
    private struct Phase {
        let name: String
        let rules: (inout SeededRandom) -> [OdooSimulator.Fault]
    }

    /// Faults the engine must retry: each phase's run ends with exit 0.
    private let transientPhases: [Phase] = [
        Phase(name: "HTTP 502/503/429") { random in
            [
                .init(.status(502), count: 2, skip: random.integer(0...30), method: "search_read"),
                .init(.status(503), count: 1, skip: random.integer(0...10), method: "read"),
                .init(.status(429, retryAfter: 1), count: 1, skip: random.integer(0...40)),
                .init(.status(502), count: 1, skip: random.integer(0...5), service: "common"),
            ]
        },
        Phase(name: "slower than the 2 s timeout") { random in
            [
                .init(.delay(seconds: 3), count: 1, skip: random.integer(0...12), method: "search_read", model: "hr.expense"),
                .init(.delay(seconds: 3), count: 1, skip: random.integer(0...6), method: "read"),
            ]
        },
        Phase(name: "dropped connections") { random in
            [
                .init(.drop, count: 2, skip: random.integer(0...30)),
                .init(.reset, count: 2, skip: random.integer(0...30), method: "search_read"),
            ]
        },
        Phase(name: "truncated and non-XML bodies") { random in
            [
                .init(.truncate(fraction: random.seconds(0.1...0.9)), count: 2, skip: random.integer(0...30), method: "search_read"),
                .init(.truncate(fraction: random.seconds(0.1...0.9)), count: 1, skip: random.integer(0...8), method: "read"),
                .init(.html, count: 1, skip: random.integer(0...30)),
                .init(
                    .xmlrpcFault(
                        code: 1, message: "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update"),
                    count: 1, skip: random.integer(0...20), method: "search_read"),
            ]
        },
        Phase(name: "bursts mid-paging") { random in
            [
                .init(.status(502), count: 3, skip: random.integer(2...8), method: "search_read", model: "hr.expense"),
                .init(.truncate(fraction: 0.5), count: 2, skip: random.integer(1...4), method: "search_read", model: "hr.expense.sheet"),
                .init(.drop, count: 2, skip: random.integer(1...3), method: "search_read", model: "account.move.line"),
            ]
        },
    ]

    func testOdooFaultsAreRetriedAndChangesWhilePagingAreCaught() throws {
        let expenses = settings.faultExpenses
        try prepare(scenario: "odoo_faults", expenses: expenses, expenseBatch: 100)
        let warehouse = try ChaosWarehouse(workspace: workspace)
        try migrate(warehouse)

        var faults = 0
        var retries = 0
        var mutations = 0
        var lines: [String] = []
        for round in 1...settings.faultRounds {
            for (index, phase) in transientPhases.enumerated() {
                // The first phase is the initial load; later ones read what was rewritten since.
                if round > 1 || index > 0 { try rewriteExpenses(count: expenses / 6) }
                let outcome = try runTransientPhase(phase, warehouse)
                faults += outcome.struck
                retries += outcome.resent
                lines.append("\(phase.name): \(outcome.struck) struck, \(outcome.resent) re-sent")
            }
            let failing = try runNonTransientPhase(warehouse)
            faults += 1
            retries += 1
            lines.append(failing)
            let paging = try runChangesWhilePaging(warehouse)
            mutations += paging.mutations
            lines.append(paging.line)
        }

        try conclude(
            "odoo_faults", warehouse, faultsInjected: faults + mutations, retries: retries,
            details: [
                "\(settings.faultRounds) round(s) of: " + lines.prefix(7).joined(separator: "; "),
                "faults injected = \(faults) simulator faults that struck a request + \(mutations) records written, created or "
                    + "unlinked while a run paged; retries = Odoo requests re-sent, measured as the requests of the faulted run minus "
                    + "those of a fault-free dry run from the same checkpoints (equal to the faults struck), + 1 rerun per round after the non-transient fault",
            ])
    }

    // MARK: - Phases

    /// A dry run from the same checkpoints counts the requests a fault-free run sends; the faulted
    /// run's surplus is what the engine re-sent.
    private func runTransientPhase(_ phase: Phase, _ warehouse: ChaosWarehouse) throws -> (struck: Int, resent: Int) {
        try simulator.resetStatistics()
        let dry = try warehouse.run(["sync", "--env", "local", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.transcript)
        let baseline = try simulator.statistics().requests

        try simulator.resetStatistics()
        for rule in phase.rules(&random) { try simulator.inject(rule) }
        let before = try lastRunId(warehouse)
        let result = finish(try warehouse.start(["sync", "--env", "local"]))
        let statistics = try simulator.statistics()
        try simulator.clearFaults()
        XCTAssertEqual(result.status, 0, "\(phase.name): a transient fault was not ridden out:\n\(result.transcript)")
        XCTAssertEqual(Set(try runStatuses(warehouse, after: before)), ["ok"], phase.name)
        let resent = statistics.requests - baseline
        XCTAssertEqual(resent, statistics.faultsInjected, "\(phase.name): each struck request is sent again exactly once")
        return (statistics.faultsInjected, resent)
    }

    /// An access-rule fault (code 4) on a page in the middle of the expenses: not transient, so not
    /// retried. That unit fails fast with exit 1, keeping the batches it committed; the others
    /// finish; the rerun resumes it.
    private func runNonTransientPhase(_ warehouse: ChaosWarehouse) throws -> String {
        try rewriteExpenses(count: settings.faultExpenses / 3)
        try simulator.resetStatistics()
        try simulator.inject(
            .init(
                .xmlrpcFault(code: 4, message: "You are not allowed to access 'Expense' (hr.expense) records."),
                count: 1, skip: random.integer(1...4), method: "search_read", model: "hr.expense"))
        let before = try lastRunId(warehouse)
        let result = finish(try warehouse.start(["sync", "--env", "local"]))
        let struck = try simulator.statistics().faultsInjected
        try simulator.clearFaults()
        XCTAssertEqual(struck, 1)
        XCTAssertEqual(result.status, 1, "a unit failed, so the exit status is 1:\n\(result.transcript)")
        let failed = try warehouse.inspector.lines(
            """
            SELECT pipeline FROM etl.sync_runs WHERE run_id > \(before) AND status = 'failed'
            """)
        XCTAssertEqual(failed, ["expenses"], result.transcript)
        XCTAssertTrue(EngineLog(result.stderr).unitFailures.first?.contains("hr.expense") ?? false, result.stderr)

        let rerun = try warehouse.run(["sync", "--env", "local"])
        XCTAssertEqual(rerun.status, 0, rerun.transcript)
        return "non-transient access fault: 1 unit failed (exit \(result.status)), others ok, the rerun exit \(rerun.status)"
    }

    /// While a run pages slowly through a third of the expenses, rewritten: more writes, new
    /// records and unlinks, some behind the reader and some ahead of it. Then a `--reconcile` run.
    private func runChangesWhilePaging(_ warehouse: ChaosWarehouse) throws -> (mutations: Int, line: String) {
        try rewriteExpenses(count: settings.faultExpenses / 3)
        // Slow pages (under the timeout, not a fault) keep the run paging while Odoo changes.
        try simulator.inject(.init(.delay(seconds: 0.25), count: nil, method: "search_read", model: "hr.expense"))
        let command = try warehouse.start(["sync", "--env", "local"])
        var written = 0
        var created = 0
        var unlinked = 0
        var duringRun = 0
        for _ in 0..<4 {
            usleep(UInt32(random.seconds(0.2...0.6) * 1_000_000))
            let ids = try expenseIds()
            let rewrite = Array(ids.shuffled(using: &random).prefix(random.integer(5...25)))
            _ = try simulator.write(model: "hr.expense", ids: rewrite, values: ["total_amount": Double(random.integer(100...99_999)) / 100])
            written += rewrite.count
            let made = try simulator.create(
                model: "hr.expense", count: random.integer(2...8), companyID: random.integer(1...3),
                values: ["name": "Created while paging"])
            created += made.ids.count
            let doomed = Array(ids.shuffled(using: &random).prefix(random.integer(3...10))) + [made.ids[0]]
            try simulator.unlink(model: "hr.expense", ids: doomed)
            unlinked += doomed.count
            if command.isRunning { duringRun += 1 }
        }
        let result = finish(command)
        try simulator.clearFaults()
        XCTAssertEqual(result.status, 0, result.transcript)
        XCTAssertGreaterThan(duringRun, 0, "Odoo changed only after the run had ended")
        let reconcile = try warehouse.run(["sync", "--env", "local", "--reconcile"])
        XCTAssertEqual(reconcile.status, 0, reconcile.transcript)
        let mutations = written + created + unlinked
        return (
            mutations,
            "while paging: \(written) writes, \(created) creates, \(unlinked) unlinks "
                + "(\(duringRun) of 4 bursts while the run was still paging), then --reconcile"
        )
    }
}
