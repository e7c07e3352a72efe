import Foundation
import Postgres
import TestSupport
import XCTest

/// `make bench`: the whole engine through the release binary against the simulator and a real
/// PostgreSQL. Reference: the script a finance engineer would write instead, Python's
/// `xmlrpc.client` paging the same records by id (extraction only: it loads nothing).
/// Runs only with `ODOO_ETL_BENCH=1`; asserts correctness, never speed.
final class EngineBenchmarkTests: XCTestCase {
    private struct Measured {
        let wall: Double
        let cpu: Double
        let maxRSSKilobytes: Int
        let output: String
    }

    private var workspace: URL!

    override func setUpWithError() throws {
        guard BenchReport.isEnabled else { throw XCTSkip("set ODOO_ETL_BENCH=1 (make bench) to run the engine benchmarks") }
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("engine-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        addTeardownBlock { [workspace] in try? FileManager.default.removeItem(at: workspace!) }
    }

    func testEndToEndThroughputCPUAndMemory() throws {
        let small = try syncExpenses(count: 200_000)
        let reference = try pythonExtractSeconds(simulator: small.simulator, count: 200_000)
        let rate = 200_000 / small.sync.wall
        try BenchReport.record(
            String(
                format:
                    "end-to-end: %.2fx the time of a python xmlrpc.client script that only extracts (200,000 expenses, %.0f rows/s vs %.0f rows/s)",
                small.sync.wall / reference, rate, 200_000 / reference), key: "end-to-end: ")
        try BenchReport.record(
            String(
                format: "cpu: %.3f s of odoo-etl CPU per 10k records (%.1f s for 200,000; the simulator's CPU not counted)",
                small.sync.cpu / 20, small.sync.cpu), key: "cpu: ")
        // The measured sync covered expenses only: bring every other pipeline up to date first,
        // so that the timed run really has nothing new to do.
        _ = try run(["sync", "--env", "bench"], database: small.database, simulator: small.simulator)
        let noop = try run(["sync", "--env", "bench"], database: small.database, simulator: small.simulator)
        XCTAssertNil(
            noop.output.range(of: #""(inserted|updated)": ?[1-9]"#, options: .regularExpression),
            "the no-op sync wrote rows:\n\(noop.output)")
        try BenchReport.record(
            String(format: "no-op sync: %.2f s wall for every pipeline, incremental with nothing new (goal under 2 s)", noop.wall),
            key: "no-op sync: ")
        let smallRSS = small.sync.maxRSSKilobytes
        small.simulator.stop()

        let large = try syncExpenses(count: 1_000_000)
        large.simulator.stop()
        try BenchReport.record(
            String(
                format: "peak memory: %.0f MB at 200,000 records, %.0f MB at 1,000,000 (%.2fx for 5x the rows)",
                Double(smallRSS) / 1024, Double(large.sync.maxRSSKilobytes) / 1024,
                Double(large.sync.maxRSSKilobytes) / Double(smallRSS)), key: "peak memory: ")
    }

    private func syncExpenses(count: Int) throws -> (simulator: OdooSimulator, database: String, sync: Measured) {
        var options = OdooSimulator.Options()
        options.companies = 2
        options.expenses = count
        options.partners = 50
        options.employees = 20
        options.moves = 50
        let simulator = try OdooSimulator(options, startupTimeout: 600)
        let database = try PostgresHarness.shared.createDatabase(prefix: "bench")
        _ = try run(["migrate", "--env", "bench"], database: database, simulator: simulator)
        let sync = try run(["sync", "--env", "bench", "--pipeline", "expenses", "--jobs", "1"], database: database, simulator: simulator)
        let connection = try PostgresConnection(database)
        XCTAssertEqual(try connection.query("SELECT count(*) AS n FROM warehouse.hr_expense").first?.int("n"), Int64(count))
        return (simulator, database, sync)
    }

    /// Runs the release binary under GNU time for wall, CPU and peak RSS.
    private func run(_ arguments: [String], database: String, simulator: OdooSimulator) throws -> Measured {
        let matrix = workspace.appendingPathComponent("matrix.yaml")
        try """
        environments:
          bench:
            odoo: {url: "\(simulator.url.absoluteString)", database: \(simulator.database), login_env: BENCH_ODOO_LOGIN, password_env: BENCH_ODOO_PASSWORD}
            supabase: {url: "http://localhost", db_url_env: BENCH_DB_URL}
        """.write(to: matrix, atomically: true, encoding: .utf8)
        let binary =
            ProcessInfo.processInfo.environment["ODOO_ETL_BINARY"]
            ?? TestPaths.repositoryRoot.appendingPathComponent(".build/release/odoo-etl").path
        let stats = workspace.appendingPathComponent("time.txt")
        let output = try BenchReport.run(
            "/usr/bin/time",
            [
                "-o", stats.path, "-f", "%e %U %S %M", binary, "--config", matrix.path,
                "--pipelines", TestPaths.pipelines.path,
                "--log-format", "json",
            ] + arguments,
            environment: [
                "BENCH_ODOO_LOGIN": simulator.login, "BENCH_ODOO_PASSWORD": simulator.password,
                "BENCH_DB_URL": database,
            ])
        let fields = try String(contentsOf: stats, encoding: .utf8).split(whereSeparator: \.isWhitespace).suffix(4).map(String.init)
        guard fields.count == 4, let wall = Double(fields[0]), let user = Double(fields[1]), let system = Double(fields[2]),
            let rss = Int(fields[3])
        else {
            throw HarnessError("could not read /usr/bin/time output: \(fields)")
        }
        return Measured(wall: wall, cpu: user + system, maxRSSKilobytes: rss, output: output)
    }

    private func pythonExtractSeconds(simulator: OdooSimulator, count: Int) throws -> Double {
        let script = """
            import sys, time, xmlrpc.client
            url, db, login, password = sys.argv[1:5]
            common = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common')
            uid = common.authenticate(db, login, password, {})
            models = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object')
            fields = ['name', 'employee_id', 'product_id', 'quantity', 'price_unit', 'total_amount_currency', 'total_amount',
                      'untaxed_amount_currency', 'tax_amount', 'currency_id', 'company_currency_id', 'date', 'state',
                      'payment_mode', 'company_id', 'analytic_distribution', 'write_date', 'sheet_id', 'accounting_date']
            start = time.perf_counter()
            last, total = 0, 0
            while True:
                page = models.execute_kw(db, uid, password, 'hr.expense', 'search_read', [[('id', '>', last)]],
                                         {'fields': fields, 'order': 'id asc', 'limit': 5000, 'context': {'active_test': False}})
                if not page: break
                total += len(page)
                last = page[-1]['id']
            print(time.perf_counter() - start, total)
            """
        let output = try BenchReport.run(
            "python3", ["-c", script, simulator.url.absoluteString, simulator.database, simulator.login, simulator.password])
        let parts = output.split(separator: " ")
        guard parts.count == 2, let seconds = Double(parts[0]) else { throw HarnessError("python reference said: \(output)") }
        XCTAssertEqual(Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)), count)
        return seconds
    }
}
