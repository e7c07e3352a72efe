import Foundation
import OdooModel
import Pipelines
import Postgres
import TestSupport
import Warehouse
import XCTest

/// The loader against the reference an engineer would write by hand: `psql \copy` into a temp
/// table plus the same `INSERT … ON CONFLICT` merge, same server, same rows, same run.
/// Runs only with `ODOO_ETL_BENCH=1` (make bench); asserts correctness, never speed.
final class LoaderBenchmarkTests: XCTestCase {
    private static let rowCount = 1_000_000
    private static let batchSize = 100_000

    static let table = TableSchema(name: "bench.journal_item", columns: [
        ColumnSpec("odoo_id", .bigint), ColumnSpec("company_id", .integer), ColumnSpec("odoo_write_date", .timestamp),
        ColumnSpec("move_id", .bigint), ColumnSpec("move_name", .text), ColumnSpec("account_id", .bigint),
        ColumnSpec("account_name", .text), ColumnSpec("partner_id", .bigint), ColumnSpec("partner_name", .text),
        ColumnSpec("date", .date), ColumnSpec("debit", .numeric(precision: 18, scale: 2)),
        ColumnSpec("credit", .numeric(precision: 18, scale: 2)), ColumnSpec("balance", .numeric(precision: 18, scale: 2)),
        ColumnSpec("parent_state", .text), ColumnSpec("analytic_distribution", .jsonb),
    ], key: ["odoo_id"])

    private static func row(_ i: Int) -> [Cell] {
        let amount = "\(i % 100_000).\(String(format: "%02d", i % 100))"
        let debit = i % 2 == 0
        return [.int(Int64(i)), .int(Int64(1 + i % 3)), .timestamp(OdooDateTime(seconds: 1_795_000_000 + Int64(i / 50))),
                .int(Int64(i / 4)), .text("INV/2026/\(i / 4)"), .int(Int64(100 + i % 40)), .text("\(400_000 + i % 40) Revenue"),
                .int(Int64(i % 5_000)), .text("Partner ñ \(i % 5_000)"), .date(OdooDate(year: 2026, month: 1 + i % 12, day: 1 + i % 28)),
                .numeric(debit ? amount : "0.00"), .numeric(debit ? "0.00" : amount), .numeric(debit ? amount : "-" + amount),
                .text(i % 10 == 0 ? "draft" : "posted"), i % 3 == 0 ? .json("{\"7\": 100.0}") : .null]
    }

    private let ddl = """
        CREATE SCHEMA IF NOT EXISTS bench;
        DROP TABLE IF EXISTS bench.journal_item;
        CREATE TABLE bench.journal_item (
            odoo_id bigint PRIMARY KEY, company_id integer, odoo_write_date timestamp NOT NULL, move_id bigint, move_name text,
            account_id bigint, account_name text, partner_id bigint, partner_name text, date date, debit numeric(18,2),
            credit numeric(18,2), balance numeric(18,2), parent_state text, analytic_distribution jsonb,
            synced_at timestamptz NOT NULL, deleted_at timestamptz);
        """

    func testLoaderAgainstPsqlReference() throws {
        guard BenchReport.isEnabled else { throw XCTSkip("set ODOO_ETL_BENCH=1 (make bench) to run the loader benchmark") }
        let (url, db) = try PostgresHarness.shared.connectToNewDatabase()
        try MigrationRunner(directory: TestPaths.repositoryRoot.appendingPathComponent("warehouse")).migrate(db)
        let batches = stride(from: 0, to: Self.rowCount, by: Self.batchSize).map { start in
            RowBatch(table: Self.table, rows: (start..<min(start + Self.batchSize, Self.rowCount)).map(Self.row))
        }

        // Ours: one transaction per 100k-row batch, checkpoint included.
        try db.execute(script: ddl)
        let loader = BatchLoader(connection: db)
        let unit = SyncUnit(pipeline: "bench", companyId: nil)
        let ours = try BenchReport.time {
            for (n, batch) in batches.enumerated() {
                try loader.load([batch], unit: unit, checkpoint: SyncCheckpoint(writeDate: OdooDateTime(seconds: 1_795_000_000), id: Int64(n)))
            }
        }
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM bench.journal_item").first?.int("n"), Int64(Self.rowCount))
        let oursSum = try db.query("SELECT sum(balance)::text AS s FROM bench.journal_item").first?.string("s")

        // Reference: the same rows as COPY text files, `\copy` into a temp table and the same merge, per batch, via psql.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loader-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var script = ""
        let columns = Self.table.columns.map(\.name).joined(separator: ", ")
        let merge = Self.referenceMerge(columns: Self.table.columns.map(\.name))
        for (n, batch) in batches.enumerated() {
            let file = dir.appendingPathComponent("batch\(n).copy")
            try Self.copyText(batch.rows).write(to: file)
            script += """
                BEGIN;
                CREATE TEMP TABLE stage (\(Self.table.columns.map { "\($0.name) \($0.type.sql)" }.joined(separator: ", "))) ON COMMIT DROP;
                \\copy stage (\(columns)) FROM '\(file.path)'
                \(merge);
                COMMIT;

                """
        }
        let scriptFile = dir.appendingPathComponent("reference.sql")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        try db.execute(script: ddl)
        let reference = try BenchReport.time {
            try BenchReport.run(PostgresHarness.shared.psqlPath, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", scriptFile.path])
        }
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM bench.journal_item").first?.int("n"), Int64(Self.rowCount))
        XCTAssertEqual(try db.query("SELECT sum(balance)::text AS s FROM bench.journal_item").first?.string("s"), oursSum)

        try BenchReport.record(String(format: "loader: %.2fx psql reference time (%@ rows, %.0fk rows/s vs %.0fk rows/s)",
                                      ours / reference, Self.rowCount.formatted(), Double(Self.rowCount) / ours / 1000,
                                      Double(Self.rowCount) / reference / 1000), key: "loader: ")
    }

    /// The hand-written merge a careful engineer would use: same guard as ours.
    private static func referenceMerge(columns: [String]) -> String {
        let payload = columns.filter { $0 != "odoo_id" }
        return """
            INSERT INTO bench.journal_item AS t (\(columns.joined(separator: ", ")), synced_at, deleted_at)
            SELECT DISTINCT ON (odoo_id) \(columns.joined(separator: ", ")), now(), NULL FROM stage ORDER BY odoo_id, odoo_write_date DESC
            ON CONFLICT (odoo_id) DO UPDATE SET \(payload.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")), synced_at = EXCLUDED.synced_at
            WHERE t.odoo_write_date < EXCLUDED.odoo_write_date
               OR (t.odoo_write_date = EXCLUDED.odoo_write_date AND ROW(\(payload.map { "t.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM ROW(\(payload.map { "EXCLUDED.\($0)" }.joined(separator: ", "))))
            """
    }

    /// COPY text of the rows, made with the same escaping rules as the loader (text values here need none but `ñ`).
    private static func copyText(_ rows: [[Cell]]) -> Data {
        var out = ""
        out.reserveCapacity(rows.count * 200)
        for row in rows {
            out += row.map { cell -> String in
                switch cell {
                case .null: return "\\N"
                case .int(let v): return String(v)
                case .text(let v), .numeric(let v), .json(let v): return v
                case .bool(let v): return v ? "t" : "f"
                case .date(let v): return v.description
                case .timestamp(let v): return v.description
                case .intArray(let v): return "{" + v.map(String.init).joined(separator: ",") + "}"
                }
            }.joined(separator: "\t")
            out += "\n"
        }
        return Data(out.utf8)
    }
}
