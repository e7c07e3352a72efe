import Foundation
import Postgres

/// Reads a warehouse database for end-to-end comparisons: rows as text, whole tables as
/// snapshots keyed by their primary key, so a test can say "these rows changed and nothing else".
/// Test targets that do not import `Postgres` use it with plain strings.
public final class WarehouseInspector {
    public let url: String
    private let connection: PostgresConnection

    public init(url: String) throws {
        self.url = url
        connection = try PostgresConnection(url, options: .init(applicationName: "odoo-etl-test-inspector"))
    }

    /// The rows of `sql`, each cell as PostgreSQL's text form (nil for NULL).
    public func rows(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try connection.query(sql, parameters.map { $0.map { $0 as PostgresBindable } }).rows.map(\.values)
    }

    /// The first cell of the first row.
    public func value(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try rows(sql, parameters).first?.first ?? nil
    }

    public func count(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        Int(try value(sql, parameters) ?? "0") ?? 0
    }

    public func execute(_ sql: String) throws {
        try connection.execute(script: sql)
    }

    /// Base tables of the given schemas as `schema.table`, sorted.
    public func tables(inSchemas schemas: [String]) throws -> [String] {
        try rows(
            """
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema = ANY(string_to_array($1, ','))
            ORDER BY 1
            """, [schemas.joined(separator: ",")]
        ).compactMap { $0.first ?? nil }
    }

    /// The primary-key columns of `table` (`schema.name`), in key order.
    public func primaryKey(of table: String) throws -> [String] {
        try rows(
            """
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [table]
        ).compactMap { $0.first ?? nil }
    }

    /// Every row of `table` keyed by its primary key (`"2/1501"` for a two-column key). Without
    /// `excluding` each value is the row's exact text form; otherwise its JSON without those columns.
    public func snapshot(_ table: String, excluding: [String] = [], where condition: String? = nil) throws -> [String: String] {
        let key = try primaryKey(of: table)
        guard !key.isEmpty else { throw HarnessError("\(table) has no primary key to compare rows by") }
        let keyText = key.map { "t.\(PostgresConnection.quoteIdentifier($0))::text" }.joined(separator: " || '/' || ")
        let rowText =
            excluding.isEmpty
            ? "t::text"
            : "(to_jsonb(t) - string_to_array($1, ','))::text"
        let filter = condition.map { "WHERE \($0)" } ?? ""
        var result: [String: String] = [:]
        let sql = "SELECT \(keyText), \(rowText) FROM \(PostgresConnection.quoteQualified(table)) t \(filter)"
        for row in try rows(sql, excluding.isEmpty ? [] : [excluding.joined(separator: ",")]) {
            guard let rowKey = row[0] else { continue }
            if result[rowKey] != nil { throw HarnessError("\(table) holds key \(rowKey) twice") }
            result[rowKey] = row[1] ?? ""
        }
        return result
    }

    /// Snapshots of every base table of `schemas`, by table name.
    public func snapshot(schemas: [String], excluding: [String] = []) throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for table in try tables(inSchemas: schemas) {
            result[table] = try snapshot(table, excluding: excluding)
        }
        return result
    }

    /// Rows of a table without a primary key (the etl bookkeeping tables) as sorted text lines.
    public func lines(_ sql: String) throws -> [String] {
        try rows(sql).map { $0.map { $0 ?? "NULL" }.joined(separator: " | ") }.sorted()
    }
}

/// How two snapshots of one table differ, by key.
public struct SnapshotDifference: Equatable, CustomStringConvertible {
    public var added: Set<String> = []
    public var removed: Set<String> = []
    public var changed: Set<String> = []

    public init(before: [String: String], after: [String: String]) {
        for (key, row) in after {
            if let old = before[key] {
                if old != row { changed.insert(key) }
            } else {
                added.insert(key)
            }
        }
        removed = Set(before.keys).subtracting(after.keys)
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public var description: String {
        func list(_ keys: Set<String>) -> String { keys.sorted().prefix(20).joined(separator: ", ") }
        return "added [\(list(added))] removed [\(list(removed))] changed [\(list(changed))]"
    }
}
