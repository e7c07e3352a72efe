/// The SQL of one read of the SQL source, with its parameters: which rows (`condition` on the
/// model's table `t`), which fields (`select`), and the COPY that streams them.
struct SQLSourceStatement {
    var parameters = SQLSourceParameters()
    let select: SQLSourceSelect
    let table: String

    /// Builds the field list of `model`. Company-dependent values (account codes) are seen from
    /// `companyID`, else from each record's own company when the model has one.
    init(model: String, fieldNames: [String], fields: [String: OdooField], companyID: Int64?,
         schema: SQLSourceSchema, language: String) throws {
        let columns = try schema.requireColumns(of: model)
        let acting: String
        if let companyID {
            acting = parameters.bind(companyID)
        } else {
            acting = columns["company_id"] != nil ? "t.company_id" : "NULL::integer"
        }
        var select = try SQLSourceSelect(model: model, fields: fields, schema: schema, language: language, actingCompany: acting)
        for name in fieldNames { try select.add(name) }
        self.select = select
        self.table = SQLSourceSelect.quote(SQLSourceSchema.table(of: model))
    }

    /// `write_date` of `t`, or NULL for the rare model without Odoo's log columns.
    var writeDate: String { select.columns["write_date"] != nil ? "t.write_date" : "NULL::timestamp" }

    /// `COPY` of the rows of `t` matching `condition`, in the order of `keys` (`id`, `write_date`):
    /// `id`, stored `write_date` (microseconds), then the fields. The ids are chosen first
    /// (`page`: narrow rows, sorted and limited), then joined for their values, so that sorting
    /// never carries the wide rows.
    func copy(condition: String, orderedBy keys: [String], limit: Int?) -> String {
        let limitClause = limit.map { "\n        LIMIT \($0)" } ?? ""
        let inner = keys.map { $0 == "write_date" ? writeDate : "t.\($0)" }.joined(separator: ", ")
        let outer = keys.map { "p.\($0)" }.joined(separator: ", ")
        return """
            COPY (
                WITH page AS MATERIALIZED (
                    SELECT t.id, \(writeDate) AS write_date FROM \(table) t
                    WHERE \(condition)
                    ORDER BY \(inner)\(limitClause)
                )
                SELECT t.id, p.write_date\(select.outputs.map { ", " + $0 }.joined())
                FROM page p JOIN \(table) t ON t.id = p.id
                \(select.joins.joined(separator: "\n    "))
                ORDER BY \(outer)
            ) TO STDOUT
            """
    }

    /// The number of columns each COPY row has.
    var columnCount: Int {
        2 + select.readers.reduce(0) { $0 + ($1.kind == .many2one ? 2 : 1) }
    }
}
