import ETLModel
import Foundation
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

    static let table = TableSchema(
        name: "bench.journal_item",
        columns: [
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
        return [
            .int(Int64(i)), .int(Int64(1 + i % 3)), .timestamp(OdooDateTime(seconds: 1_795_000_000 + Int64(i / 50))),
            .int(Int64(i / 4)), .text("INV/2026/\(i / 4)"), .int(Int64(100 + i % 40)), .text("\(400_000 + i % 40) Revenue"),
            .int(Int64(i % 5_000)), .text("Partner ñ \(i % 5_000)"), .date(OdooDate(year: 2026, month: 1 + i % 12, day: 1 + i % 28)),
            .numeric(debit ? amount : "0.00"), .numeric(debit ? "0.00" : amount), .numeric(debit ? amount : "-" + amount),
            .text(i % 10 == 0 ? "draft" : "posted"), i % 3 == 0 ? .json("{\"7\": 100.0}") : .null,
        ]
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

    /// Two cases, each against the same reference: rows new to the table (a backfill, a first sync:
    /// our loader copies them straight in) and every row changed (the staged merge's real work).
    func testLoaderAgainstPsqlReference() throws {
        guard BenchReport.isEnabled else { throw XCTSkip("set ODOO_ETL_BENCH=1 (make bench) to run the loader benchmark") }
        let (url, db) = try PostgresHarness.shared.connectToNewDatabase()
        try MigrationRunner(directory: TestPaths.migrations).migrate(db)
        let batches = Self.batches(Self.row)
        let changed = Self.batches { i in
            var row = Self.row(i)
            row[2] = .timestamp(OdooDateTime(seconds: 1_795_086_400 + Int64(i / 50)))
            row[4] = .text("INV/2026/\(i / 4)/R")
            return row
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loader-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let newScript = try Self.referenceScript(batches, in: dir, named: "new")
        let changedScript = try Self.referenceScript(changed, in: dir, named: "changed")
        let psql = { (script: URL) in
            try BenchReport.run(PostgresHarness.shared.psqlPath, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", script.path])
        }

        // New rows. Ours: one transaction per 100k-row batch, checkpoint included.
        try db.execute(script: ddl)
        let ours = try BenchReport.time { try load(batches, with: db) }
        let oursNew = try contents(db)
        try db.execute(script: ddl)
        let reference = try BenchReport.time { try psql(newScript) }
        XCTAssertEqual(try contents(db), oursNew)

        // Changed rows: the same table full of the old versions, then every row rewritten.
        try db.execute(script: ddl)
        try load(batches, with: db)
        let oursChanged = try BenchReport.time { try load(changed, with: db) }
        let oursAfter = try contents(db)
        try db.execute(script: ddl)
        try psql(newScript)
        let referenceChanged = try BenchReport.time { try psql(changedScript) }
        XCTAssertEqual(try contents(db), oursAfter)
        XCTAssertNotEqual(oursAfter, oursNew)

        try BenchReport.record(
            String(
                format: "loader, new rows: %.2fx psql reference time (%@ rows, %.0fk rows/s vs %.0fk rows/s)",
                ours / reference, Self.rowCount.formatted(), Double(Self.rowCount) / ours / 1000,
                Double(Self.rowCount) / reference / 1000), key: "loader, new rows: ")
        try BenchReport.record(
            String(
                format: "loader, changed rows: %.2fx psql reference time (%@ rows, %.0fk rows/s vs %.0fk rows/s)",
                oursChanged / referenceChanged, Self.rowCount.formatted(), Double(Self.rowCount) / oursChanged / 1000,
                Double(Self.rowCount) / referenceChanged / 1000), key: "loader, changed rows: ")
    }

    private static func batches(_ row: (Int) -> [Cell]) -> [RowBatch] {
        stride(from: 0, to: rowCount, by: batchSize).map { start in
            RowBatch(table: table, rows: (start..<min(start + batchSize, rowCount)).map(row))
        }
    }

    private func load(_ batches: [RowBatch], with db: PostgresConnection) throws {
        let loader = BatchLoader(connection: db)
        let unit = SyncUnit(pipeline: "bench", companyId: nil)
        for (n, batch) in batches.enumerated() {
            try loader.load([batch], unit: unit, checkpoint: Checkpoint(second: OdooDateTime(seconds: 1_795_000_000), id: Int64(n)))
        }
    }

    /// Row count, the sum of balances and the latest version: what both loaders must agree on.
    private func contents(_ db: PostgresConnection) throws -> String {
        try db.query(
            "SELECT count(*)::text || ' ' || sum(balance)::text || ' ' || max(odoo_write_date)::text || ' ' || "
                + "max(move_name) AS c FROM bench.journal_item"
        ).first?.string("c") ?? ""
    }

    /// The reference: the rows as COPY text files, `\copy` into a temp table and the same merge, per batch, via psql.
    private static func referenceScript(_ batches: [RowBatch], in dir: URL, named name: String) throws -> URL {
        var script = ""
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let merge = referenceMerge(columns: table.columns.map(\.name))
        for (n, batch) in batches.enumerated() {
            let file = dir.appendingPathComponent("\(name)\(n).copy")
            try copyText(batch.rows).write(to: file)
            script += """
                BEGIN;
                CREATE TEMP TABLE stage (\(table.columns.map { "\($0.name) \($0.type.sql)" }.joined(separator: ", "))) ON COMMIT DROP;
                \\copy stage (\(columns)) FROM '\(file.path)'
                \(merge);
                COMMIT;

                """
        }
        let scriptFile = dir.appendingPathComponent("\(name).sql")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        return scriptFile
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
