import ETLModel
import Postgres

/// The SQL of one staged merge into a target table. Names come from pipeline definitions (quoted);
/// values never appear in it.
struct MergeSQL {
    let table: TableSchema
    let stagingName: String

    private func q(_ name: String) -> String { PostgresConnection.quoteIdentifier(name) }
    private var target: String { PostgresConnection.quoteQualified(table.name) }
    private var columnList: String { table.columns.map { q($0.name) }.joined(separator: ", ") }

    /// A temp table with the transformer's columns. COPY appends to a fresh heap in order, so a
    /// later row of the batch has a larger `ctid`: that breaks ties when one key appears twice with
    /// the same version (the later row wins) without a sequence call per row.
    var createStaging: String {
        let columns = table.columns.map { "\(q($0.name)) \($0.type.sql)" }
        return "CREATE TEMP TABLE \(q(stagingName)) (\(columns.joined(separator: ", "))) ON COMMIT DROP"
    }

    var copyIn: String { "COPY \(q(stagingName)) (\(columnList)) FROM STDIN" }

    /// `INSERT … ON CONFLICT … DO UPDATE … WHERE guard`, reporting (inserted, updated, staged, out of scope).
    ///
    /// The guard: a newer version always wins; an equal version (XML-RPC sends whole seconds, so a
    /// same-second change looks equal) is applied only when the payload differs or the row was
    /// soft-deleted; an older version never overwrites. Unchanged rows are not written at all,
    /// so re-applying a batch leaves no dead tuples. `$1` is the unit's company (NULL = unscoped):
    /// a scoped load only takes rows of its own company.
    var merge: String {
        let key = table.key.map(q).joined(separator: ", ")
        let version = q(table.versionColumn)
        let payload = table.columns.filter { !table.key.contains($0.name) }
        let assignments =
            (payload.map { "\(q($0.name)) = EXCLUDED.\(q($0.name))" } + ["\"synced_at\" = EXCLUDED.\"synced_at\"", "\"deleted_at\" = NULL"])
            .joined(separator: ", ")
        let current = payload.map { "t.\(q($0.name))" }.joined(separator: ", ")
        let incoming = payload.map { "EXCLUDED.\(q($0.name))" }.joined(separator: ", ")
        let scope = table.companyColumn.map { "WHERE $1::integer IS NULL OR \(q($0)) = $1::integer" } ?? ""
        return """
            WITH staged AS (
                SELECT DISTINCT ON (\(key)) \(columnList) FROM \(q(stagingName))
                \(scope)
                ORDER BY \(key), \(version) DESC NULLS LAST, ctid DESC
            ), merged AS (
                INSERT INTO \(target) AS t (\(columnList), "synced_at", "deleted_at")
                SELECT \(columnList), now(), NULL FROM staged
                ON CONFLICT (\(key)) DO UPDATE SET \(assignments)
                WHERE t.\(version) < EXCLUDED.\(version)
                   OR t.\(version) IS NULL
                   OR (t.\(version) = EXCLUDED.\(version)
                       AND (t."deleted_at" IS NOT NULL OR ROW(\(current)) IS DISTINCT FROM ROW(\(incoming))))
                RETURNING (xmax = 0) AS inserted
            )
            SELECT (SELECT count(*) FROM merged WHERE inserted) AS inserted,
                   (SELECT count(*) FROM merged WHERE NOT inserted) AS updated,
                   (SELECT count(*) FROM staged) AS staged,
                   (SELECT count(*) FROM \(q(stagingName))) AS copied
            """
    }
}
