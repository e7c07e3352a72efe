import Foundation
import LocalServers
import Postgres
import TestSupport
import XCTest

/// The Odoo password and the database password, set in the environment, never show up anywhere
/// an operator or another user can read them: stdout and stderr of every command (text and JSON
/// logs), the run log (`etl.sync_runs`), the process's command line while it runs, or the
/// environment of any child process. Every command runs against the Odoo simulator and a real
/// PostgreSQL role whose password is checked (scram-sha-256), with good credentials and with
/// every way of failing: wrong passwords, unreachable services, and a server that echoes the
/// password back in its fault.
final class SecretHygieneTests: XCTestCase {
    static let odooPassword = "Pw-7f3c-RECOGNISABLE"
    static let wrongOdooPassword = "Pw-0bad-RECOGNISABLE"
    static let databasePassword = "Db-9e1a-RECOGNISABLE"
    static let wrongDatabasePassword = "Db-0bad-RECOGNISABLE"
    /// Every secret above holds it, so a partial leak (cut short or re-encoded around it) shows too.
    static let marker = "RECOGNISABLE"

    private var simulator: OdooSimulator!
    private var database: HygieneDatabase!
    private var workspace: HygieneWorkspace!

    override func setUpWithError() throws {
        var options = OdooSimulator.Options()
        options.companies = 2
        options.partners = 20
        options.employees = 6
        options.expenses = 300
        options.moves = 60
        options.password = Self.odooPassword
        simulator = try OdooSimulator(options)
        database = try HygieneDatabase(password: Self.databasePassword)
        workspace = try HygieneWorkspace()
    }

    override func tearDown() {
        simulator?.stop()
        simulator = nil
        workspace = nil
    }

    func testEveryCommandWithGoodCredentials() throws {
        let invocation = try workspace.configure(odooURL: simulator.url.absoluteString, databaseURL: database.url)
        var runs = 0
        for arguments in [
            ["migrate"], ["migrate", "--check"], ["sync"], ["sync", "--full", "--reconcile"], ["sync", "--dry-run"],
            ["backfill", "--company", "1", "--since", "2025-01-01"], ["status"], ["status", "--json"],
            ["verify"], ["check"], ["health"], ["health", "--json"], ["config"],
        ] {
            for format in ["text", "json"] {
                let result = try workspace.run(arguments, format: format, invocation)
                assertClean(result, "\(arguments.joined(separator: " ")) --log-format \(format)")
                runs += 1
            }
        }
        let syncRuns = try assertRunLogClean()
        XCTAssertGreaterThan(syncRuns.total, 0, "the syncs were recorded")
        print(
            "secret hygiene, good credentials: \(runs) runs clean; etl.sync_runs: \(syncRuns.total) rows, \(syncRuns.withError) with an error"
        )
    }

    func testEveryWayOfFailing() throws {
        let good = try workspace.configure(odooURL: simulator.url.absoluteString, databaseURL: database.url)
        XCTAssertEqual(try workspace.run(["migrate"], good).status, 0)
        let closedPort = try FreePort.pick()
        var wrongOdoo = good
        wrongOdoo.environment["HYGIENE_ODOO_PASSWORD"] = Self.wrongOdooPassword
        let unreachableOdoo = try workspace.configure(odooURL: "http://127.0.0.1:\(closedPort)", databaseURL: database.url)
        let wrongDatabase = try workspace.configure(
            odooURL: simulator.url.absoluteString,
            databaseURL: database.url(password: Self.wrongDatabasePassword))
        let unreachableDatabase = try workspace.configure(
            odooURL: simulator.url.absoluteString,
            databaseURL: database.url(port: closedPort))
        // libpq quotes the token it cannot parse, and a stray % makes that token the password.
        let strayPercent = database.url(password: "Db%Q1-\(Self.marker)")
        let strayPercentWarehouse = try workspace.configure(odooURL: simulator.url.absoluteString, databaseURL: strayPercent)
        let strayPercentSource = try workspace.configure(
            odooURL: simulator.url.absoluteString, databaseURL: database.url,
            sqlSourceURL: strayPercent)
        let scenarios: [(String, HygieneWorkspace.Invocation, [[String]])] = [
            ("wrong Odoo password", wrongOdoo, [["sync"], ["backfill", "--company", "1"], ["verify"], ["check"], ["health"]]),
            ("stray % in the warehouse password", strayPercentWarehouse, [["migrate"], ["sync"], ["status"], ["health"]]),
            // The unit fails once the warehouse is open, so its error lands in etl.sync_runs.
            (
                "stray % in the Odoo database password", strayPercentSource,
                [["sync", "--source", "sql", "--pipeline", "companies"], ["backfill", "--company", "1", "--source", "sql"]]
            ),
            ("unreachable Odoo", unreachableOdoo, [["sync"], ["backfill", "--company", "1"], ["verify"], ["check"], ["health"]]),
            ("wrong database password", wrongDatabase, [["migrate"], ["sync"], ["status"], ["verify"], ["health"]]),
            ("unreachable database", unreachableDatabase, [["migrate"], ["sync"], ["status"], ["health"]]),
        ]
        var failures = 0
        for (scenario, invocation, commands) in scenarios {
            for arguments in commands {
                for format in ["text", "json"] {
                    let result = try workspace.run(arguments, format: format, invocation)
                    let label = "\(scenario): \(arguments.joined(separator: " ")) --log-format \(format)"
                    XCTAssertNotEqual(result.status, 0, "\(label) must fail\n\(result.transcript)")
                    assertClean(result, label)
                    failures += 1
                }
            }
        }
        // Failures once the units run are what the run log records.
        for kind in [OdooSimulator.FaultKind.status(502), .drop, .truncate(fraction: 0.5)] {
            try simulator.inject(.init(kind, count: nil, method: "search_read", model: "hr.expense"))
            for format in ["text", "json"] {
                let result = try workspace.run(["sync", "--pipeline", "expenses"], format: format, good)
                XCTAssertNotEqual(result.status, 0, "\(kind) must fail the sync\n\(result.transcript)")
                assertClean(result, "Odoo failing mid-sync with \(kind) --log-format \(format)")
                failures += 1
            }
            try simulator.clearFaults()
        }
        let wrongPasswordMigrate = try workspace.run(["migrate"], wrongDatabase)
        XCTAssertTrue(
            wrongPasswordMigrate.stderr.contains("password authentication failed"),
            "the server really checks the password\n\(wrongPasswordMigrate.transcript)")
        let syncRuns = try assertRunLogClean()
        XCTAssertGreaterThan(syncRuns.withError, 0, "the syncs that failed mid-run were recorded with their error")
        print(
            "secret hygiene, failures: \(failures) failing runs clean; etl.sync_runs: \(syncRuns.total) rows, \(syncRuns.withError) with an error"
        )
    }

    /// A server (or a proxy) may quote the request back, password included, in its fault.
    func testServerThatEchoesThePassword() throws {
        let invocation = try workspace.configure(odooURL: simulator.url.absoluteString, databaseURL: database.url)
        XCTAssertEqual(try workspace.run(["migrate"], invocation).status, 0)
        let echo = "Traceback: execute_kw('odoo_demo', 2, '\(Self.odooPassword)', 'hr.expense', 'search_read') failed"
        try simulator.inject(.init(.xmlrpcFault(code: 1, message: echo), count: nil, method: "search_read", model: "hr.expense"))
        for arguments in [["sync", "--pipeline", "expenses"], ["check"], ["verify"], ["status"]] {
            for format in ["text", "json"] {
                let result = try workspace.run(arguments, format: format, invocation)
                assertClean(result, "echoing server: \(arguments.joined(separator: " ")) --log-format \(format)")
                if arguments[0] == "sync" {
                    // The summary's FAILED lines (text) or the unit's error log line (JSON).
                    XCTAssertTrue(
                        (result.stdout + result.stderr).contains("execute_kw('odoo_demo', 2, '***', 'hr.expense', 'search_read')"),
                        "the fault is still reported, with the password masked\n\(result.transcript)")
                }
            }
        }
        let syncRuns = try assertRunLogClean()
        XCTAssertGreaterThan(syncRuns.withError, 0, "the echoed fault was recorded, redacted")
    }

    /// Samples the running process every 10 ms: its command line, its children's command lines and
    /// environments, and what PostgreSQL shows of its sessions.
    func testProcessTableWhileSyncing() throws {
        let invocation = try workspace.configure(odooURL: simulator.url.absoluteString, databaseURL: database.url)
        XCTAssertEqual(try workspace.run(["migrate"], invocation).status, 0)
        // Slow every page down so that the sync is sampled many times while it works.
        try simulator.inject(.init(.delay(seconds: 0.05), count: nil, method: "search_read"))
        let observer = try PostgresConnection(PostgresHarness.shared.serverURL + "/postgres")
        let sampled = try workspace.runSampled(["sync", "--full", "--jobs", "2"], invocation) { pid in
            var texts = [ProcessTable.commandLine(of: pid)]
            for child in ProcessTable.descendants(of: pid) {
                texts.append(ProcessTable.commandLine(of: child))
                texts.append(ProcessTable.environment(of: child))
            }
            let sessions = try? observer.query(
                "SELECT coalesce(string_agg(query || ' ' || application_name, ' '), '') AS text FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            )
            texts.append((try? sessions?.first?.string("text")) ?? "")
            return texts
        }
        XCTAssertEqual(sampled.result.status, 0, sampled.result.transcript)
        assertClean(sampled.result, "sampled sync")
        XCTAssertGreaterThan(sampled.samples, 20, "the sync was sampled while it ran")
        XCTAssertTrue(sampled.commandLines.contains { $0.contains("sync") }, "the command line was read: \(sampled.commandLines)")
        for text in sampled.texts {
            XCTAssertFalse(text.contains(Self.marker), "a secret is visible in the process table or pg_stat_activity: \(text)")
        }
        print(
            "secret hygiene, process table: \(sampled.samples) samples over \(String(format: "%.1f", sampled.seconds)) s, "
                + "\(sampled.childProcesses) child processes seen, command line \(sampled.commandLines.first ?? "")")
    }

    // MARK: - Checks

    private func assertClean(_ result: CLIResult, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.stdout.contains(Self.marker), "\(label): a secret on stdout\n\(result.stdout)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains(Self.marker), "\(label): a secret on stderr\n\(result.stderr)", file: file, line: line)
    }

    /// Every column of every run, as JSON text, is free of secrets.
    private func assertRunLogClean(file: StaticString = #filePath, line: UInt = #line) throws -> (total: Int, withError: Int) {
        let connection = try PostgresConnection(database.adminURL)
        let rows = try connection.query("SELECT row_to_json(r)::text AS row, r.error IS NOT NULL AS failed FROM etl.sync_runs r").rows
        var withError = 0
        for row in rows {
            let text = try row.string("row") ?? ""
            XCTAssertFalse(text.contains(Self.marker), "a secret in etl.sync_runs: \(text)", file: file, line: line)
            if try row.bool("failed") == true { withError += 1 }
        }
        return (rows.count, withError)
    }
}

/// A fresh database owned by a role that logs in with a password, which PostgreSQL checks
/// (scram-sha-256) even though the test server trusts every other connection.
final class HygieneDatabase {
    let role: String
    let name: String
    let adminURL: String
    private let password: String

    init(password: String) throws {
        self.password = password
        adminURL = try PostgresHarness.shared.createDatabase(prefix: "hygiene")
        name = String(adminURL.split(separator: "/").last!)
        role = "etl_" + name
        let admin = try PostgresConnection(PostgresHarness.shared.serverURL + "/postgres")
        try admin.execute(script: "CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(password)'; ALTER DATABASE \(name) OWNER TO \(role)")
        try Self.requirePassword(for: role, admin: admin)
    }

    var url: String { url(password: password) }

    func url(password: String? = nil, port: Int = PostgresHarness.shared.port) -> String {
        "postgresql://\(role):\(password ?? self.password)@127.0.0.1:\(port)/\(name)"
    }

    /// Puts a password rule for `role` ahead of the harness's `trust` lines and reloads.
    private static func requirePassword(for role: String, admin: PostgresConnection) throws {
        guard let hbaFile = try admin.query("SHOW hba_file").first?.string("hba_file") else {
            throw HarnessError("the server did not say where pg_hba.conf is")
        }
        let rules = try String(contentsOfFile: hbaFile, encoding: .utf8)
        try ("host all \(role) 127.0.0.1/32 scram-sha-256\n" + rules).write(toFile: hbaFile, atomically: false, encoding: .utf8)
        _ = try admin.query("SELECT pg_reload_conf()")
    }
}

/// A scratch directory holding the instance matrix; the repository's pipelines are used as they are.
final class HygieneWorkspace {
    let directory: URL
    private var matrix: URL { directory.appendingPathComponent("instance-matrix.yaml") }
    private var configurations = 0

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("odoo-etl-hygiene-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// An instance matrix and the environment the commands run with.
    struct Invocation {
        let config: URL
        var environment: [String: String]
    }

    /// Writes an instance matrix whose every database URL variable holds `databaseURL`, except the
    /// Odoo database (the SQL source) when `sqlSourceURL` is given.
    func configure(odooURL: String, databaseURL: String, sqlSourceURL: String? = nil) throws -> Invocation {
        configurations += 1
        let name = "config-\(configurations).yaml"
        try """
        environments:
          local:
            odoo: {url: "\(odooURL)", database: odoo_demo, login_env: HYGIENE_ODOO_LOGIN, password_env: HYGIENE_ODOO_PASSWORD, db_url_env: HYGIENE_ODOO_DB_URL}
            supabase: {url: "http://127.0.0.1:9", db_url_env: HYGIENE_DB_URL}
            superset: {url: "http://127.0.0.1:9", metadata_db_url_env: HYGIENE_DB_URL}
        etl:
          jobs: 1
          retries: {attempts: 2, initial_backoff_seconds: 0, max_backoff_seconds: 0}
          timeouts: {connect_seconds: 2, request_seconds: 20}
        """.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return Invocation(
            config: directory.appendingPathComponent(name),
            environment: [
                "HYGIENE_ODOO_LOGIN": "admin", "HYGIENE_ODOO_PASSWORD": SecretHygieneTests.odooPassword,
                "HYGIENE_DB_URL": databaseURL, "HYGIENE_ODOO_DB_URL": sqlSourceURL ?? databaseURL,
            ])
    }

    private func process(_ arguments: [String], format: String, invocation: Invocation) -> Process {
        let process = Process()
        process.executableURL = CLIWorkspace.binary
        process.arguments =
            [
                "--config", invocation.config.path, "--pipelines", TestPaths.pipelines.path,
                "--log-format", format,
            ] + arguments + ["--env", "local"]
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "COLUMNS": "80"].merging(invocation.environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        return process
    }

    func run(_ arguments: [String], format: String = "text", _ invocation: Invocation) throws -> CLIResult {
        try runSampled(arguments, format: format, invocation, every: nil) { _ in [] }.result
    }

    struct Sampled {
        let result: CLIResult
        let samples: Int
        let seconds: Double
        let childProcesses: Int
        let commandLines: [String]
        let texts: [String]
    }

    /// Runs the binary and, every `interval` while it runs, collects `sample(pid)`.
    func runSampled(
        _ arguments: [String], format: String = "text", _ invocation: Invocation, every interval: TimeInterval? = 0.01,
        sample: (Int32) -> [String]
    ) throws -> Sampled {
        let process = process(arguments, format: format, invocation: invocation)
        let output = directory.appendingPathComponent("stdout")
        let errors = directory.appendingPathComponent("stderr")
        try Data().write(to: output)
        try Data().write(to: errors)
        let stdout = try FileHandle(forWritingTo: output)
        let stderr = try FileHandle(forWritingTo: errors)
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        let started = Date()
        try process.run()
        var samples = 0
        var children = Set<Int32>()
        var commandLines: [String] = []
        var texts: [String] = []
        while process.isRunning {
            if let interval {
                let pid = process.processIdentifier
                let collected = sample(pid)
                if process.isRunning {
                    samples += 1
                    // A process that has just exited shows an empty command line.
                    let commandLine = ProcessTable.commandLine(of: pid)
                    if !commandLine.isEmpty { commandLines.append(commandLine) }
                    children.formUnion(ProcessTable.descendants(of: pid))
                    texts += collected
                }
                Thread.sleep(forTimeInterval: interval)
            } else {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        process.waitUntilExit()
        let result = CLIResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
        return Sampled(
            result: result, samples: samples, seconds: Date().timeIntervalSince(started),
            childProcesses: children.count, commandLines: Array(Set(commandLines)), texts: texts)
    }
}

/// What /proc shows of a process to anyone on the machine.
enum ProcessTable {
    /// The arguments, separated by spaces (they are NUL-separated in /proc).
    static func commandLine(of pid: Int32) -> String {
        read("/proc/\(pid)/cmdline")
    }

    static func environment(of pid: Int32) -> String {
        read("/proc/\(pid)/environ")
    }

    /// Children, grandchildren…, from every thread's `children` list.
    static func descendants(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { read("/proc/\(pid)/task/\($0)/children").split(separator: " ").compactMap { Int32($0) } }
        return children + children.flatMap(descendants)
    }

    /// /proc files report a size of 0, so they are read to the end rather than by their size.
    private static func read(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
    }
}
