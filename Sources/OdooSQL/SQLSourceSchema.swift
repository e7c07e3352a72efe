import Postgres

/// The columns of Odoo's tables as PostgreSQL's catalog describes them, read once per table.
/// Whether a field has a column, and whether that column is `jsonb` (a translated field in Odoo
/// 16+), decides how the SQL source reads it.
final class SQLSourceSchema {
    /// Column name to its type as `format_type` spells it (`integer`, `jsonb`, `character varying`…).
    typealias Columns = [String: String]

    /// Where the catalog is read; the reader replaces it after reconnecting.
    var connection: PostgresConnection?
    private var tables: [String: Columns?] = [:]

    /// The table behind a model, as Odoo names it by default (`account.move.line` → `account_move_line`).
    static func table(of model: String) -> String {
        model.replacingOccurrences(of: ".", with: "_")
    }

    /// The columns of `table`, or nil when the database (as the connected role sees it) has no such table.
    func columns(of table: String) throws -> Columns? {
        if let known = tables[table] { return known }
        guard let connection else {
            throw PostgresError(kind: .client, message: "the SQL source read the catalog before connecting")
        }
        let rows = try connection.query(
            """
            SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            """, [PostgresConnection.quoteIdentifier(table)]
        ).rows
        var columns: Columns = [:]
        for row in rows {
            if let name = try row.string("name"), let type = try row.string("type") { columns[name] = type }
        }
        let result: Columns? = columns.isEmpty ? nil : columns
        tables[table] = result
        return result
    }

    /// The columns of a model's table; throws when the table is missing.
    func requireColumns(of model: String) throws -> Columns {
        let table = Self.table(of: model)
        guard let columns = try columns(of: table) else { throw SQLSourceError(.missingTable(model: model, table: table)) }
        return columns
    }
}
