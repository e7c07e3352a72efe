import ETLModel

/// The SQL of one read of the SQL source, with its parameters: which rows (`condition` on the
/// model's table `t`), which fields (`select`), the COPY that streams them, and the queries of
/// the display names their many2one fields point to.
struct SQLSourceStatement {
    var parameters = SQLSourceParameters()
    let select: SQLSourceSelect
    let table: String
    /// By comodel.
    let nameQueries: [String: SQLSourceNameQuery]

    /// Builds the field list of `model`. Company-dependent names (account codes) are seen from
    /// `companyID`.
    init(
        model: String, fieldNames: [String], fields: [String: OdooField], companyID: Int64?,
        schema: SQLSourceSchema, language: String
    ) throws {
        var select = try SQLSourceSelect(model: model, fields: fields, schema: schema, language: language)
        for name in fieldNames { try select.add(name) }
        var nameQueries: [String: SQLSourceNameQuery] = [:]
        for reader in select.readers {
            guard let comodel = reader.comodel, nameQueries[comodel] == nil else { continue }
            nameQueries[comodel] = try SQLSourceNameQuery(
                comodel: comodel, field: (model, reader.name), companyID: companyID,
                schema: schema, language: language)
        }
        self.select = select
        self.nameQueries = nameQueries
        self.table = SQLSourceSelect.quote(SQLSourceSchema.table(of: model))
    }

    /// `write_date` of `t`, or NULL for the rare model without Odoo's log columns.
    var writeDate: String { select.columns["write_date"] != nil ? "t.write_date" : "NULL::timestamp" }

    /// `COPY` of the keys of the rows matching `condition`, in `(write_date, id)` order, at most
    /// `limit`: narrow rows, so one scan and one in-memory sort order a million of them.
    func keys(condition: String, limit: Int) -> String {
        """
        COPY (
            SELECT t.id, \(writeDate) FROM \(table) t
            WHERE \(condition)
            ORDER BY \(writeDate), t.id LIMIT \(limit)
        ) TO STDOUT
        """
    }

    /// `COPY` of the rows matching `condition` (usually ids): `id`, stored `write_date`
    /// (microseconds), then the fields. The rows are chosen with their own columns, then joined
    /// to what their names need; they come in no particular order (sorting the wide joined rows
    /// would spill to disk; the reader orders them for less).
    func rows(condition: String) -> String {
        """
        COPY (
            WITH page AS MATERIALIZED (SELECT t.* FROM \(table) t WHERE \(condition))
            SELECT t.id, \(writeDate)\(select.outputs.map { ", " + $0 }.joined())
            FROM page t
            \(select.joins.joined(separator: "\n    "))
        ) TO STDOUT
        """
    }

    /// The number of columns each COPY row has.
    var columnCount: Int { 2 + select.readers.count }
}
