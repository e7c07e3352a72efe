import ETLModel
import Foundation
import OdooRPC
import OdooSQL
import Pipelines
import Postgres
import Sync
import TestSupport
import Warehouse
import XCTest

/// `make bench`: a 1,000,000-row journal-item backfill of one company over the SQL source,
/// against what an engineer would type instead: a `psql COPY (SELECT …) TO STDOUT | psql COPY …
/// FROM STDIN` pipe per warehouse table, moving the same rows between the same two databases.
/// Runs only with `ODOO_ETL_BENCH=1`; asserts that both fill the warehouse identically, never speed.
final class SQLSourceBenchmarkTests: XCTestCase {
    private static let lineCount = 1_000_000

    /// One company's books in Odoo 18's layout: 250,000 posted moves of four lines each, written
    /// one move per transaction (the four lines share a write_date), 5,000 partners, 40 accounts,
    /// 9 taxes (every other line carries one, every fourth is a tax line), analytic
    /// distributions on a third of the lines.
    private static let books = """
        INSERT INTO res_currency (id, name, symbol, active) VALUES (1, 'USD', '$', true), (2, 'PHP', '₱', true);
        INSERT INTO res_country (id, code, name) VALUES (176, 'PH', '{"en_US": "Philippines"}');
        INSERT INTO res_partner (id, name, complete_name, type, active, autopost_bills)
        SELECT g, 'Partner ñ ' || g, 'Partner ñ ' || g, 'contact', true, 'ask' FROM generate_series(1, 5000) g;
        INSERT INTO res_company (id, name, partner_id, currency_id, parent_path, layout_background, fiscalyear_last_day,
                                 fiscalyear_last_month, account_opening_date, account_price_include, account_fiscal_country_id)
        VALUES (1, 'Makati Holdings Inc.', 1, 2, '1/', 'blank', 31, '12', '2024-01-01', 'tax_excluded', 176);
        INSERT INTO account_account (id, account_type, name, code_store)
        SELECT g, 'income', jsonb_build_object('en_US', 'Account ' || g), jsonb_build_object('1', (400000 + g)::text)
        FROM generate_series(1, 40) g;
        INSERT INTO account_journal (id, company_id, code, type, invoice_reference_type, invoice_reference_model, name)
        SELECT g, 1, 'J' || g, 'general', 'invoice', 'odoo', jsonb_build_object('en_US', 'Journal ' || g) FROM generate_series(1, 5) g;
        INSERT INTO account_tax (id, company_id, sequence, tax_group_id, country_id, type_tax_use, amount_type, name, amount)
        SELECT g, 1, g, 1, 176, 'sale', 'percent', jsonb_build_object('en_US', g || '% VAT'), g FROM generate_series(1, 9) g;
        INSERT INTO account_move (id, journal_id, company_id, currency_id, name, state, move_type, auto_post, date, write_date)
        SELECT m, 1 + m % 5, 1, 2, 'INV/2024/' || lpad(m::text, 6, '0'), 'posted', 'out_invoice', 'no', DATE '2024-01-01' + m % 365,
               TIMESTAMP '2024-01-01 00:00:00.250000' + m * interval '126 seconds'
        FROM generate_series(1, \(lineCount / 4)) m;
        INSERT INTO account_move_line (id, move_id, journal_id, company_id, account_id, currency_id, partner_id, name, date,
                                       display_type, parent_state, debit, credit, balance, amount_currency, tax_base_amount,
                                       tax_line_id, analytic_distribution, write_date)
        SELECT g, m, 1 + m % 5, 1, 1 + g % 40, 2, 1 + m % 5000, 'Line ' || g, DATE '2024-01-01' + m % 365, 'product', 'posted',
               CASE WHEN g % 2 = 0 THEN amount ELSE 0 END, CASE WHEN g % 2 = 1 THEN amount ELSE 0 END,
               CASE WHEN g % 2 = 0 THEN amount ELSE -amount END, CASE WHEN g % 2 = 0 THEN amount ELSE -amount END,
               CASE WHEN g % 4 = 3 THEN amount * 8 ELSE 0 END, CASE WHEN g % 4 = 3 THEN 1 + g % 9 END,
               CASE WHEN g % 3 = 0 THEN '{"7": 100.0}'::jsonb END,
               TIMESTAMP '2024-01-01 00:00:00.250000' + m * interval '126 seconds'
        FROM (SELECT g, (g + 3) / 4 AS m, round(((g::bigint * 7919) % 1000000) / 100.0, 2) + 0.01 AS amount
              FROM generate_series(1, \(lineCount)) g) lines;
        INSERT INTO account_move_line_account_tax_rel SELECT g, 1 + g % 9 FROM generate_series(2, \(lineCount), 2) g;
        ANALYZE;
        """

    /// The reference's SELECTs: the rows the journal_items pipeline writes, computed by hand.
    private static let lineSource = """
        FROM account_move_line l JOIN account_move m ON m.id = l.move_id
        LEFT JOIN account_journal j ON j.id = l.journal_id LEFT JOIN account_account a ON a.id = l.account_id
        LEFT JOIN res_partner p ON p.id = l.partner_id LEFT JOIN res_currency c ON c.id = l.currency_id
        LEFT JOIN account_tax t ON t.id = l.tax_line_id
        LEFT JOIN (SELECT account_move_line_id AS id, array_agg(account_tax_id ORDER BY account_tax_id) AS ids
                   FROM account_move_line_account_tax_rel GROUP BY 1) x ON x.id = l.id
        WHERE l.company_id = 1
        """
    private static let accountName = "(a.code_store ->> '1') || ' ' || (a.name ->> 'en_US')"

    private static let warehouseSelect = """
        SELECT l.id, l.company_id, l.move_id, m.name, l.journal_id, j.name ->> 'en_US', l.account_id, \(accountName), l.name,
               l.date, l.partner_id, p.complete_name, round(l.debit, 2), round(l.credit, 2), round(l.balance, 2),
               round(l.amount_currency, 2), l.currency_id, c.name, COALESCE(x.ids, '{}'), l.tax_line_id, t.name ->> 'en_US',
               round(l.tax_base_amount, 2), l.display_type, l.parent_state, l.analytic_distribution,
               date_trunc('second', l.write_date), now()
        \(lineSource)
        """

    private static let analyticsSelect = """
        SELECT l.id, l.company_id, l.move_id, m.name, l.account_id, \(accountName), l.partner_id, p.complete_name, l.date,
               round(l.debit, 2), round(l.credit, 2), round(l.balance, 2), l.analytic_distribution, l.parent_state,
               l.parent_state = 'posted', date_trunc('second', l.write_date), now()
        \(lineSource)
        """

    private static let tables = [
        (
            "warehouse.account_move_line",
            "odoo_id, company_id, move_id, move_name, journal_id, journal_name, account_id, account_name, "
                + "name, date, partner_id, partner_name, debit, credit, balance, amount_currency, currency_id, currency_name, tax_ids, "
                + "tax_line_id, tax_line_name, tax_base_amount, display_type, parent_state, analytic_distribution, odoo_write_date, synced_at"
        ),
        (
            "analytics.fact_journal_item",
            "odoo_id, company_id, move_id, move_name, account_id, account_name, partner_id, partner_name, "
                + "date, debit, credit, balance, analytic_distribution, parent_state, is_posted, odoo_write_date, synced_at"
        ),
    ]

    func testJournalItemBackfillAgainstAPsqlCopyPipe() throws {
        guard BenchReport.isEnabled else { throw XCTSkip("set ODOO_ETL_BENCH=1 (make bench) to run the SQL source benchmark") }
        var options = OdooSimulator.Options()
        options.companies = 1
        options.employees = 1
        options.expenses = 1
        options.moves = 1
        let simulator = try OdooSimulator(options)
        defer { simulator.stop() }
        let odoo = try OdooLayoutSchema.newDatabase()
        try odoo.connection.execute(script: Self.books)

        // Ours: `odoo-etl backfill --company 1 --pipeline journal_items --source sql`, in-process.
        let ours = try EngineRun.newWarehouse()
        let settings = EngineSettings(
            odoo: OdooConnectionSettings(
                url: simulator.url.absoluteString, database: simulator.database, login: simulator.login,
                password: simulator.password),
            warehouseURL: ours, odooDatabaseURL: odoo.url)
        var backfill = SyncOptions()
        backfill.mode = .backfill(BackfillWindow(since: nil, until: nil))
        backfill.pipelines = ["journal_items"]
        backfill.companies = [.id(1)]
        backfill.source = .sql
        var summary: SyncSummary?
        let oursSeconds = try BenchReport.time {
            summary = try SyncEngine(
                settings: settings, catalog: try PipelineCatalog.load(directory: EngineRun.pipelines),
                events: CollectedEvents()
            ).run(backfill)
        }
        XCTAssertEqual(summary?.units.map(\.status), [.ok], summary?.units.compactMap(\.message).joined(separator: "\n") ?? "")
        XCTAssertEqual(summary?.units.first?.recordsRead, Self.lineCount)

        // Reference: one psql COPY pipe per table, between the same two databases.
        let reference = try EngineRun.newWarehouse()
        let psql = PostgresHarness.shared.psqlPath
        let referenceSeconds = try BenchReport.time {
            for ((table, columns), select) in zip(Self.tables, [Self.warehouseSelect, Self.analyticsSelect]) {
                let pipe =
                    "\(psql) -X -q -d '\(odoo.url)' -c \"COPY (\(select.replacingOccurrences(of: "\n", with: " "))) TO STDOUT\" "
                    + "| \(psql) -X -q -v ON_ERROR_STOP=1 -d '\(reference)' -c 'COPY \(table) (\(columns)) FROM STDIN'"
                try BenchReport.run("/bin/sh", ["-c", pipe])
            }
        }

        for (table, _) in Self.tables {
            XCTAssertEqual(
                try Self.checksum(table, in: ours), try Self.checksum(table, in: reference),
                "\(table): the backfill and the psql pipe wrote different rows")
        }
        // Extraction alone, to tell the source's share from the loader's: records in memory
        // against psql writing the warehouse table's rows to /dev/null.
        let plan = try XCTUnwrap(try PipelineCatalog.load(directory: EngineRun.pipelines).pipeline(named: "journal_items"))
        let client = OdooClient(settings: settings.odoo)
        let configuration = ExtractionRequest(
            model: "account.move.line", fields: plan.fields.map(\.name), companyID: 1,
            pageSize: plan.batchSize)
        let reader = try SQLSourceReader(
            databaseURL: odoo.url, configuration: configuration,
            fields: try client.fieldsGet(model: "account.move.line"))
        var extracted = 0
        let extractionSeconds = try BenchReport.time {
            while let batch = try reader.next() { extracted += batch.records.count }
        }
        XCTAssertEqual(extracted, Self.lineCount)
        let psqlExtractionSeconds = try BenchReport.time {
            let query = Self.warehouseSelect.replacingOccurrences(of: "\n", with: " ")
            try BenchReport.run("/bin/sh", ["-c", "\(psql) -X -q -d '\(odoo.url)' -c \"COPY (\(query)) TO STDOUT\" > /dev/null"])
        }

        let rows = 2 * Self.lineCount
        try BenchReport.record(
            String(
                format: "sql source extraction: %.2fx psql COPY (SELECT …) TO STDOUT (%@ journal items as records, "
                    + "%.0fk rows/s vs %.0fk rows/s)", extractionSeconds / psqlExtractionSeconds,
                Self.lineCount.formatted(), Double(Self.lineCount) / extractionSeconds / 1000,
                Double(Self.lineCount) / psqlExtractionSeconds / 1000), key: "sql source extraction: ")
        try BenchReport.record(
            String(
                format: "sql source: %.2fx psql COPY pipe (%@ journal items into 2 tables, %.0fk rows/s vs %.0fk rows/s)",
                oursSeconds / referenceSeconds, Self.lineCount.formatted(), Double(rows) / oursSeconds / 1000,
                Double(rows) / referenceSeconds / 1000), key: "sql source: ")
    }

    /// Row count and an order-independent hash of every column but `synced_at`.
    private static func checksum(_ table: String, in url: String) throws -> String {
        let connection = try PostgresConnection(url)
        let parts = table.split(separator: ".").map(String.init)
        let columns = try connection.query(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2 AND column_name <> 'synced_at' ORDER BY ordinal_position
            """, [parts[0], parts[1]]
        ).rows.compactMap { try $0.string("column_name") }
        let row = "ROW(" + columns.joined(separator: ", ") + ")::text"
        let result = try connection.query("SELECT count(*)::text || ' rows, ' || sum(hashtext(\(row))::bigint)::text AS c FROM \(table)")
        return try result.first?.string("c") ?? ""
    }
}
