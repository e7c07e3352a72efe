import ETLCommands
import ETLModel
import Foundation
import TestSupport
import XCTest

/// The command layer in-process, as swift-argument-parser tests itself: arguments in, a validated
/// request handed to the actions (or a usage error and nothing handed over), an exit status out.
/// The end-to-end tests run the built binary for the same paths.
final class InProcessCommandTests: XCTestCase {
    /// Records what the commands hand over; answers success.
    private final class RecordingActions: ETLActions, @unchecked Sendable {
        private let lock = NSLock()
        private var syncRequests: [SyncRequest] = []
        private var backfillRequests: [BackfillRequest] = []
        private var otherCalls = 0

        var syncs: [SyncRequest] { lock.withLock { syncRequests } }
        var backfills: [BackfillRequest] { lock.withLock { backfillRequests } }
        var calls: Int { lock.withLock { syncRequests.count + backfillRequests.count + otherCalls } }

        func sync(_ request: SyncRequest, context: CommandContext) async throws -> ExitStatus {
            lock.withLock { syncRequests.append(request) }
            return .success
        }

        func backfill(_ request: BackfillRequest, context: CommandContext) async throws -> ExitStatus {
            lock.withLock { backfillRequests.append(request) }
            return .success
        }

        private func other() -> ExitStatus {
            lock.withLock { otherCalls += 1 }
            return .success
        }

        func migrate(_ request: MigrateRequest, context: CommandContext) async throws -> ExitStatus { other() }
        func health(_ request: HealthRequest, context: CommandContext) async throws -> ExitStatus { other() }
        func status(_ request: StatusRequest, context: CommandContext) async throws -> ExitStatus { other() }
        func verify(_ request: VerifyRequest, context: CommandContext) async throws -> ExitStatus { other() }
        func check(_ request: CheckRequest, context: CommandContext) async throws -> ExitStatus { other() }
        func demo(_ request: DemoRequest, context: CommandContext) async throws -> ExitStatus { other() }
    }

    /// The repository's own matrix and pipelines, with staging's secrets set for this process.
    private let global = [
        "--config", TestPaths.repositoryRoot.appendingPathComponent("config/instance-matrix.yaml").path,
        "--pipelines", TestPaths.pipelines.path,
    ]

    override func setUp() {
        super.setUp()
        setenv("ODOO_STAGING_LOGIN", "etl@example.com", 1)
        setenv("ODOO_STAGING_PASSWORD", "in-process-test-password", 1)
        setenv("SUPABASE_STAGING_DB_URL", "postgres://etl:in-process-test-db@127.0.0.1:1/warehouse", 1)
    }

    func testSyncHandsOverTheValidatedRequest() async {
        let actions = RecordingActions()
        let status = await ETLCommand.run(
            global + [
                "sync", "--env", "staging", "--company", "3", "--company", "Women's Wear PH", "--company", "3",
                "--pipeline", "expenses", "--full", "--jobs", "2",
            ],
            actions: actions)
        XCTAssertEqual(status, .success)
        XCTAssertEqual(actions.syncs.count, 1)
        let request = actions.syncs[0]
        XCTAssertEqual(request.environment.name, "staging")
        XCTAssertEqual(request.companies, [.id(3), .name("Women's Wear PH")], "in the order given, duplicates removed")
        XCTAssertEqual(request.pipelines, ["expenses"])
        XCTAssertTrue(request.full)
        XCTAssertFalse(request.reconcile)
        XCTAssertEqual(request.jobs, 2)
        XCTAssertEqual(request.source, .xmlrpc)
    }

    func testBackfillTakesItsWindowAsDays() async {
        let actions = RecordingActions()
        let status = await ETLCommand.run(
            global + ["backfill", "--env", "staging", "--company", "3", "--since", "2024-02-01", "--until", "2024-02-29"],
            actions: actions)
        XCTAssertEqual(status, .success)
        XCTAssertEqual(actions.backfills.first?.since, OdooDate(year: 2024, month: 2, day: 1))
        XCTAssertEqual(actions.backfills.first?.until, OdooDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(actions.backfills.first?.company, .id(3))
    }

    /// A usage error is exit 64 and reaches no action: nothing is read or written.
    func testUsageErrorsReachNoAction() async {
        let actions = RecordingActions()
        let cases: [[String]] = [
            ["sync"],
            ["sync", "--env", "staging", "--jobs", "0"],
            ["backfill", "--env", "staging", "--company", "3", "--since", "2023-02-29"],
            ["backfill", "--env", "staging", "--company", "3", "--since", "2024-03-01", "--until", "2024-02-01"],
            ["sync", "--env", "nowhere"],
            ["synk", "--env", "staging"],
        ]
        for arguments in cases {
            let status = await ETLCommand.run(global + arguments, actions: actions)
            XCTAssertEqual(status, .usage, arguments.joined(separator: " "))
        }
        XCTAssertEqual(actions.calls, 0)
    }
}
