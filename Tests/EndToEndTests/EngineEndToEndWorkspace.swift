import Foundation
import TestSupport
import XCTest

/// A scratch installation of odoo-etl for one end-to-end test: `config/instance-matrix.yaml`
/// pointing at a running Odoo simulator, the repository's `pipelines/` (batch sizes shrunk so small
/// datasets still take several batches) and `warehouse/` migrations, and a fresh database.
/// Commands run the built binary with only the variables the `local` environment names.
final class EngineWorkspace {
    struct Settings {
        /// Records per batch by pipeline name; pipelines not named keep their own.
        var batchSizes: [String: Int] = [:]
        var jobs = 2
        var lookbackSeconds = 300
        /// `etl.timeouts.statement_seconds`.
        var statementSeconds: Double = 600
    }

    let directory: URL
    let simulator: OdooSimulator
    let databaseURL: String
    let warehouse: WarehouseInspector

    init(simulator: OdooSimulator, settings: Settings = Settings()) throws {
        guard FileManager.default.isExecutableFile(atPath: CLIWorkspace.binary.path) else {
            throw MissingBinary(path: CLIWorkspace.binary.path)
        }
        self.simulator = simulator
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("odoo-etl-e2e-\(UUID().uuidString)")
        let fileManager = FileManager.default
        for folder in ["config", "pipelines", "warehouse"] {
            try fileManager.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try Self.matrix(simulator: simulator, settings: settings)
            .write(to: directory.appendingPathComponent("config/instance-matrix.yaml"), atomically: true, encoding: .utf8)
        let repository = TestPaths.repositoryRoot
        for file in try fileManager.contentsOfDirectory(atPath: repository.appendingPathComponent("pipelines").path)
        where file.hasSuffix(".yaml") {
            var text = try String(contentsOf: repository.appendingPathComponent("pipelines/\(file)"), encoding: .utf8)
            if let size = settings.batchSizes[String(file.dropLast(5))] {
                text = text.replacingOccurrences(
                    of: #"(?m)^batch_size: \d+$"#, with: "batch_size: \(size)",
                    options: .regularExpression)
            }
            try text.write(to: directory.appendingPathComponent("pipelines/\(file)"), atomically: true, encoding: .utf8)
        }
        for file in try fileManager.contentsOfDirectory(atPath: repository.appendingPathComponent("warehouse").path)
        where file.hasSuffix(".sql") {
            try fileManager.copyItem(
                at: repository.appendingPathComponent("warehouse/\(file)"),
                to: directory.appendingPathComponent("warehouse/\(file)"))
        }
        databaseURL = try PostgresHarness.shared.createDatabase(prefix: "e2e")
        warehouse = try WarehouseInspector(url: databaseURL)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func matrix(simulator: OdooSimulator, settings: Settings) -> String {
        """
        environments:
          local:
            odoo:
              url: \(simulator.url.absoluteString)
              version: "18.0"
              database: \(simulator.database)
              login_env: ODOO_LOCAL_LOGIN
              password_env: ODOO_LOCAL_PASSWORD
            supabase:
              url: http://127.0.0.1:54321
              db_url_env: SUPABASE_LOCAL_DB_URL
        etl:
          lookback_seconds: \(settings.lookbackSeconds)
          jobs: \(settings.jobs)
          timeouts:
            statement_seconds: \(settings.statementSeconds)
          retries:
            attempts: 2
            initial_backoff_seconds: 0
            max_backoff_seconds: 0

        """
    }

    /// The variables the `local` environment reads.
    var environment: [String: String] {
        [
            "ODOO_LOCAL_LOGIN": simulator.login, "ODOO_LOCAL_PASSWORD": simulator.password,
            "SUPABASE_LOCAL_DB_URL": databaseURL,
        ]
    }

    /// Starts `odoo-etl arguments…`; `overrides` replace or add variables.
    func start(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> RunningCommand {
        try RunningCommand(
            binary: CLIWorkspace.binary, arguments: arguments, directory: directory,
            environment: ["PATH": "/usr/bin:/bin", "COLUMNS": "120"].merging(environment) { $1 }
                .merging(overrides) { $1 })
    }

    func run(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> CLIResult {
        try start(arguments, environment: overrides).wait()
    }

    /// Runs a command that must succeed; a failure shows its whole transcript.
    @discardableResult
    func succeed(
        _ arguments: [String], environment overrides: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CLIResult {
        let result = try run(arguments, environment: overrides)
        XCTAssertEqual(
            result.status, 0, "odoo-etl \(arguments.joined(separator: " ")):\n\(result.transcript)",
            file: file, line: line)
        return result
    }

    /// Migrates this workspace's database and runs one full sync of every pipeline.
    func migrateAndSync(file: StaticString = #filePath, line: UInt = #line) throws {
        try succeed(["migrate", "--env", "local"], file: file, line: line)
        try succeed(["sync", "--env", "local"], file: file, line: line)
    }

    /// A second database loaded by one uninterrupted sync of the simulator as it is now: the
    /// reference an interrupted, resumed or overlapped warehouse must equal.
    func referenceWarehouse(file: StaticString = #filePath, line: UInt = #line) throws -> WarehouseInspector {
        let url = try PostgresHarness.shared.createDatabase(prefix: "e2e_reference")
        try succeed(["migrate", "--env", "local"], environment: ["SUPABASE_LOCAL_DB_URL": url], file: file, line: line)
        try succeed(["sync", "--env", "local"], environment: ["SUPABASE_LOCAL_DB_URL": url], file: file, line: line)
        return try WarehouseInspector(url: url)
    }

    /// The highest run id so far: the rows of a later run in `etl.sync_runs` have larger ids.
    func lastRunId() throws -> Int {
        try warehouse.count("SELECT coalesce(max(run_id), 0) FROM etl.sync_runs")
    }
}

/// A started `odoo-etl` process whose output is collected until it exits.
final class RunningCommand {
    private let process = Process()
    private let output: PipeDrain
    private let errors: PipeDrain

    init(binary: URL, arguments: [String], directory: URL, environment: [String: String]) throws {
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output = PipeDrain(stdout.fileHandleForReading)
        errors = PipeDrain(stderr.fileHandleForReading)
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL: no handler runs, no batch is finished, the server rolls back what was open.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
    }

    /// SIGINT or SIGTERM: what Ctrl-C and `systemctl stop` send.
    func signal(_ signo: Int32) {
        kill(process.processIdentifier, signo)
    }

    func wait() -> CLIResult {
        let out = output.wait()
        let err = errors.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CLIResult(status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Polls `condition` every 20 ms until it holds (true) or `timeout` passes (false).
func eventually(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
