import Foundation
import Postgres
import TestSupport
import XCTest

/// What `health` and `status` talk to in the end-to-end tests: the Odoo simulator, a fresh warehouse
/// database and a second one standing in for Superset's metadata database, and a workspace whose
/// instance matrix points at them. Every run through `run` is checked for leaked secrets.
final class HealthStatusServices {
    static let odooLogin = "etl-bot@example.com"
    static let odooPassword = "pw-Health-Do-Not-Print-5519"
    static let databasePassword = "db-Health-Secret-8830"

    let simulator: OdooSimulator
    let workspace: CLIWorkspace
    /// The warehouse, with a password in it (the test server trusts local connections, so it is
    /// never checked, only carried: exactly what must not leak).
    let databaseURL: String
    let metadataURL: String
    private let databaseName: String
    private let metadataName: String
    private var started: [Process] = []

    init() throws {
        var options = OdooSimulator.Options()
        options.companies = 2
        options.partners = 20
        options.employees = 6
        options.expenses = 200
        options.moves = 40
        options.login = Self.odooLogin
        options.password = Self.odooPassword
        simulator = try OdooSimulator(options)
        let warehouse = try Self.withPassword(PostgresHarness.shared.createDatabase(prefix: "wh"))
        let metadata = try Self.withPassword(PostgresHarness.shared.createDatabase(prefix: "meta"))
        databaseURL = warehouse.url
        databaseName = warehouse.name
        metadataURL = metadata.url.replacingOccurrences(of: "postgres://", with: "postgresql+psycopg2://")
        metadataName = metadata.name
        workspace = try CLIWorkspace(pipelines: [])
        let files = FileManager.default
        let root = TestPaths.repositoryRoot
        try files.copyItem(at: root.appendingPathComponent("warehouse"), to: workspace.directory.appendingPathComponent("warehouse"))
        for name in CLIWorkspace.pipelineNames {
            try files.copyItem(
                at: root.appendingPathComponent("pipelines/\(name).yaml"),
                to: workspace.directory.appendingPathComponent("pipelines/\(name).yaml"))
        }
        try writeMatrix(odooURL: simulator.url.absoluteString)
    }

    deinit {
        for process in started where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Environment `local` has every service; `nosuperset` is the same without a superset block.
    /// Superset's `/health` is played by the simulator's `/web/health` (the base URL ends in /web).
    func writeMatrix(odooURL: String) throws {
        let odoo = """
                odoo:
                  url: \(odooURL)
                  version: "18.0"
                  database: \(simulator.database)
                  login_env: ODOO_LOCAL_LOGIN
                  password_env: ODOO_LOCAL_PASSWORD
                supabase:
                  url: http://127.0.0.1:54321
                  db_url_env: SUPABASE_LOCAL_DB_URL
            """
        try workspace.writeMatrix(
            """
            environments:
              local:
            \(odoo)
                superset:
                  url: \(simulator.url.absoluteString)/web
                  metadata_db_url_env: SUPERSET_LOCAL_METADATA_DB_URL
              nosuperset:
            \(odoo)

            """)
    }

    var variables: [String: String] {
        [
            "ODOO_LOCAL_LOGIN": Self.odooLogin, "ODOO_LOCAL_PASSWORD": Self.odooPassword,
            "SUPABASE_LOCAL_DB_URL": databaseURL, "SUPERSET_LOCAL_METADATA_DB_URL": metadataURL,
        ]
    }

    /// Runs the binary in the workspace and fails the test if a secret shows in either stream.
    func run(
        _ arguments: [String], variables: [String: String]? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CLIResult {
        let result = try workspace.run(arguments, environment: variables ?? self.variables)
        for secret in [Self.odooPassword, Self.databasePassword] {
            XCTAssertFalse(
                result.stdout.contains(secret) || result.stderr.contains(secret),
                "\(arguments.joined(separator: " ")) printed a secret:\n\(result.transcript)", file: file, line: line)
        }
        return result
    }

    func migrate() throws {
        let result = try run(["migrate", "--env", "local"])
        guard result.status == 0 else { throw HarnessError("migrate failed:\n\(result.transcript)") }
    }

    /// Starts the binary without waiting for it (its output is discarded); killed at the end if still running.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = CLIWorkspace.binary
        process.arguments = arguments
        process.currentDirectoryURL = workspace.directory
        process.environment = ["PATH": "/usr/bin:/bin"].merging(variables) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        started.append(process)
        return process
    }

    /// Polls `status --json` until the pipeline's last run is open (and newer than `newerThan`);
    /// returns that unit's JSON.
    func waitForOpenRun(pipeline: String, newerThan: Int = 0, timeout: TimeInterval = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let result = try run(["status", "--env", "local", "--json"])
            let units = (try? Self.jsonObject(result.stdout)["units"] as? [[String: Any]]) ?? []
            if let unit = units.first(where: { $0["pipeline"] as? String == pipeline }),
                let run = unit["last_run"] as? [String: Any], run["status"] as? String == "running",
                (run["run_id"] as? Int ?? 0) > newerThan
            {
                return unit
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw HarnessError("no open run of \(pipeline) appeared within \(Int(timeout)) s")
    }

    /// A run log with one of each thing `status` must show: a resolved and an unresolved error (one
    /// carrying a DSN with a password), a run left open by a dead process, runs without a checkpoint,
    /// a checkpoint without runs, and company names. Run times are fixed; checkpoints trail the
    /// server's clock by set amounts (half a minute past the shown unit, so the lag text is stable).
    func recordHistory() throws {
        let database = try PostgresConnection(databaseURL)
        let now = "date_trunc('second', now() AT TIME ZONE 'UTC')"
        _ = try database.execute(
            script: """
                INSERT INTO warehouse.res_company (odoo_id, company_id, name, odoo_write_date) VALUES
                    (1, 1, 'Makati Holdings Inc.', '2025-01-01'), (2, 2, 'Cebu Logistics Corp.', '2025-01-01');
                INSERT INTO etl.sync_state (pipeline, company_id, cursor_write_date, cursor_id) VALUES
                    ('companies', NULL, \(now) - interval '2 days 5 hours 30 minutes', 2),
                    ('expenses', 1, \(now) - interval '3 hours 25 minutes 30 seconds', 1841),
                    ('expenses', 2, \(now) - interval '1 day 2 hours 30 minutes', 977),
                    ('invoices', 1, \(now) - interval '6 hours 40 minutes 30 seconds', 312),
                    ('partners', NULL, \(now) - interval '5 hours 10 minutes 30 seconds', 58);
                INSERT INTO etl.sync_runs (pipeline, company_id, kind, started_at, finished_at, status,
                                           rows_inserted, rows_updated, rows_unchanged, rows_deleted, batches, error) VALUES
                    ('companies', NULL, 'sync', '2026-01-10 02:00:00+00', '2026-01-10 02:00:01.5+00', 'ok', 2, 0, 0, 0, 1, NULL),
                    ('expenses', 1, 'sync', '2026-01-09 02:00:00+00', '2026-01-09 02:00:09+00', 'failed', 0, 0, 0, 0, 0,
                     E'Odoo hr.expense.search_read on http://127.0.0.1:8069 (database odoo): the server answered HTTP 502.\\nSecond line.'),
                    ('expenses', 1, 'sync', '2026-01-10 02:00:05+00', '2026-01-10 02:00:47+00', 'ok', 120, 3, 877, 2, 1, NULL),
                    ('expenses', 2, 'sync', '2026-01-09 02:00:05+00', '2026-01-09 02:01:15+00', 'ok', 2500, 0, 0, 0, 1, NULL),
                    ('expenses', 2, 'sync', '2026-01-10 02:01:00+00', '2026-01-10 02:01:12+00', 'failed', 0, 0, 0, 0, 0,
                     E'batch 3 rolled back: could not reach postgres://etl:\(Self.databasePassword)@db.internal:5432/warehouse\\n  detail: timeout'),
                    ('expenses', 3, 'sync', '2026-01-10 02:02:00+00', NULL, 'running', 0, 0, 0, 0, 0, NULL),
                    ('partners', NULL, 'backfill', '2026-01-10 03:00:00+00', '2026-01-10 04:15:30+00', 'interrupted',
                     40000, 1200, 0, 0, 9, 'interrupted by SIGTERM; batch 10 rolled back, the next run resumes from the checkpoint'),
                    ('taxes', 2, 'sync', '2026-01-10 02:03:00+00', '2026-01-10 02:03:00.4+00', 'busy', 0, 0, 0, 0, 0,
                     'another run holds the lock of taxes × company 2');
                """)
    }

    /// The transcript with this run's ports and database names replaced by fixed words.
    func masked(_ text: String) -> String {
        var result = text.replacingOccurrences(of: metadataName, with: "METADATA_DB")
            .replacingOccurrences(of: databaseName, with: "WAREHOUSE_DB")
            .replacingOccurrences(of: "127.0.0.1:\(simulator.port)", with: "127.0.0.1:ODOO_PORT")
        let server = URLComponents(string: PostgresHarness.shared.serverURL)
        if let host = server?.host, let port = server?.port {
            result = result.replacingOccurrences(of: "\(host):\(port)", with: "PG_HOST:PG_PORT")
        }
        return result
    }

    /// Checkpoint times and lags in seconds depend on when the test ran; the lag text does not.
    static func maskedCheckpoints(_ text: String) -> String {
        var result = text
        for (pattern, template) in [
            (#"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?=, id )"#, "YYYY-MM-DD hh:mm:ss"),
            (#""(write_date|updated_at)":"[^"]*""#, "\"$1\":\"MASKED\""),
            (#""lag_seconds":\d+"#, "\"lag_seconds\":MASKED"),
        ] {
            let expression = try! NSRegularExpression(pattern: pattern)
            result = expression.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result),
                withTemplate: template)
        }
        return result
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(text)")
        }
        return object
    }

    /// A new database's URL with `databasePassword` in it, and the database's name.
    private static func withPassword(_ url: String) throws -> (url: String, name: String) {
        guard var components = URLComponents(string: url) else { throw HarnessError("not a URL: \(url)") }
        components.password = databasePassword
        guard let text = components.string else { throw HarnessError("cannot add a password to \(url)") }
        return (text, String(components.path.dropFirst()))
    }
}
