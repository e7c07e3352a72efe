import ETLModel
import Postgres

/// How one COPY column (two for a many2one: id, display name) becomes the value Odoo's ORM answers.
enum SQLSourceValueKind: Sendable {
    /// NULL reads as 0, as Odoo reads an empty integer.
    case integer
    /// NULL reads as 0.0.
    case float
    /// NULL reads as False.
    case boolean
    /// char, text, html, selection, reference, binary: NULL is empty (`False` on the wire).
    case text
    case date
    /// Truncated to the whole second, as XML-RPC sends it.
    case datetime
    /// The id; the display name comes from the comodel's name query (`SQLSourceNameQuery`).
    case many2one
    /// An x2many id list, `{}` when there is none.
    case ids
    /// Canonical JSON text.
    case json
}

/// One requested field and how to read it.
struct SQLSourceFieldReader: Sendable {
    let name: String
    let kind: SQLSourceValueKind
    /// The model a many2one points to.
    var comodel: String?
}

/// The SELECT list and joins that read some fields of one model as Odoo's ORM would answer
/// `read` for them, but for many2one display names, which are read per comodel by id (each name
/// once per window instead of once per row). The model's table is `t`; the query this belongs to
/// defines the CTE `page` with the ids it reads, which the x2many aggregates use to stay small.
struct SQLSourceSelect {
    let model: String
    let table: String
    let columns: SQLSourceSchema.Columns
    let fields: [String: OdooField]
    let schema: SQLSourceSchema
    /// Validated language code, e.g. `en_US`.
    let language: String

    private(set) var joins: [String] = []
    private(set) var outputs: [String] = []
    private(set) var readers: [SQLSourceFieldReader] = []
    private var aliasCount = 0

    init(model: String, fields: [String: OdooField], schema: SQLSourceSchema, language: String) throws {
        self.model = model
        self.table = SQLSourceSchema.table(of: model)
        self.columns = try schema.requireColumns(of: model)
        self.fields = fields
        self.schema = schema
        self.language = language
    }

    static func quote(_ name: String) -> String { PostgresConnection.quoteIdentifier(name) }

    static func column(_ alias: String, _ name: String) -> String { "\(alias).\(quote(name))" }

    mutating func newAlias() -> String {
        aliasCount += 1
        return "j\(aliasCount)"
    }

    mutating func join(_ model: String, alias: String, on condition: String) {
        joins.append("LEFT JOIN \(Self.quote(SQLSourceSchema.table(of: model))) \(alias) ON \(condition)")
    }

    /// A translated (jsonb) column in `language`, falling back to English as Odoo does.
    static func translated(_ alias: String, _ column: String, language: String) -> String {
        let value = Self.column(alias, column)
        if language == "en_US" { return "(\(value) ->> 'en_US')" }
        return "COALESCE(\(value) ->> '\(language)', \(value) ->> 'en_US')"
    }

    mutating func add(_ name: String) throws {
        guard let field = fields[name] else {
            throw unsupported(name, "this Odoo's fields_get does not list it")
        }
        guard let type = field.type else {
            throw unsupported(name, "its type '\(field.typeName)' is unknown to odoo-etl")
        }
        if type == .one2many || type == .many2many {
            try addIDs(name, field: field, type: type)
            return
        }
        let (alias, column, columnType) = try source(of: name, field: field)
        let value = Self.column(alias, column)
        let isJSONB = columnType == "jsonb"
        // Odoo 18 keeps two kinds of field in jsonb: translations (`{"en_US": …}`) and
        // company-dependent values (`{"1": …}`, with a fallback the ORM applies); only the first
        // reads as a column. A selection is never translated.
        if isJSONB, field.companyDependent || ![.char, .text, .html, .json].contains(type) {
            throw unsupported(name, "it is company-dependent (stored as jsonb per company)")
        }
        switch type {
        case .many2one:
            guard let comodel = field.relation else { throw unsupported(name, "fields_get gives no relation") }
            append(name, .many2one, [value], comodel: comodel)
        case .char, .text, .html, .selection, .reference:
            append(name, .text, [isJSONB ? Self.translated(alias, column, language: language) : value])
        case .integer, .many2oneReference:
            append(name, .integer, [value])
        case .float:
            // Odoo rounds a float field to its current `digits` whenever it reads one (convert_to_cache),
            // so a value stored before a precision change, or by SQL, reads rounded over XML-RPC.
            append(name, .float, [field.decimalDigits.map { "round(\(value)::numeric, \($0))" } ?? value])
        case .monetary:
            append(name, .float, [value])
        case .boolean:
            append(name, .boolean, [value])
        case .date:
            append(name, .date, [value])
        case .datetime:
            append(name, .datetime, [value])
        case .json:
            append(name, .json, [value])
        case .binary:
            guard columnType == "bytea" else { throw unsupported(name, "Odoo keeps it in ir_attachment, not in a column") }
            // Odoo writes a binary column's value as its base64 text (the legacy OpenERP
            // convention) and sends those bytes back as they are.
            append(name, .text, ["convert_from(\(value), 'UTF8')"])
        case .properties, .propertiesDefinition:
            throw unsupported(name, "properties are computed from their definition record")
        case .one2many, .many2many:
            break
        }
    }

    private mutating func append(_ name: String, _ kind: SQLSourceValueKind, _ expressions: [String], comodel: String? = nil) {
        outputs += expressions
        readers.append(SQLSourceFieldReader(name: name, kind: kind, comodel: comodel))
    }

    /// Where a field's value is stored: the model's own column, or, for a related field Odoo does
    /// not store, the column it is related to (joined in).
    private mutating func source(of name: String, field: OdooField) throws -> (alias: String, column: String, type: String) {
        if field.stored {
            guard let type = columns[name] else { throw SQLSourceError(.missingColumn(model: model, field: name, table: table)) }
            return ("t", name, type)
        }
        guard let path = SQLSourceCatalog.relatedFields[model]?[name], let last = path.hops.last else {
            throw SQLSourceError(.notStored(model: model, field: name))
        }
        var alias = "t"
        for hop in path.hops {
            _ = try schema.requireColumns(of: hop.model)
            let next = newAlias()
            join(hop.model, alias: next, on: "\(next).id = \(Self.column(alias, hop.field))")
            alias = next
        }
        let lastTable = SQLSourceSchema.table(of: last.model)
        guard let type = try schema.requireColumns(of: last.model)[path.column] else {
            throw SQLSourceError(.missingColumn(model: last.model, field: path.column, table: lastTable))
        }
        return (alias, path.column, type)
    }

    /// An x2many as the comodel's ids in the comodel's default order, archived records included,
    /// aggregated once per page rather than once per row.
    private mutating func addIDs(_ name: String, field: OdooField, type: OdooFieldType) throws {
        guard let comodel = field.relation else { throw unsupported(name, "fields_get gives no relation") }
        let comodelColumns = try schema.requireColumns(of: comodel)
        let comodelTable = Self.quote(SQLSourceSchema.table(of: comodel))
        let order = SQLSourceCatalog.order(of: comodel, alias: "c")
        let alias = newAlias()
        let aggregate: String
        if type == .many2many {
            let relation = SQLSourceCatalog.many2manyTable(model: model, comodel: comodel)
            guard let relationColumns = try schema.columns(of: relation.table),
                relationColumns[relation.ownColumn] != nil, relationColumns[relation.otherColumn] != nil
            else {
                throw unsupported(
                    name,
                    "its relation table \(relation.table)(\(relation.ownColumn), \(relation.otherColumn)) "
                        + "is not in the database (a field with a custom relation table)")
            }
            let own = Self.column("r", relation.ownColumn)
            let other = Self.column("r", relation.otherColumn)
            aggregate = """
                SELECT \(own) AS owner, array_agg(\(other) ORDER BY \(order)) AS ids
                FROM \(Self.quote(relation.table)) r JOIN \(comodelTable) c ON c.id = \(other)
                WHERE \(own) IN (SELECT id FROM page) GROUP BY \(own)
                """
        } else {
            guard let inverse = SQLSourceCatalog.one2manyInverses[model]?[name] else {
                throw unsupported(name, "odoo-etl does not know the many2one of \(comodel) that is its inverse")
            }
            guard comodelColumns[inverse] != nil else {
                throw SQLSourceError(.missingColumn(model: comodel, field: inverse, table: SQLSourceSchema.table(of: comodel)))
            }
            let owner = Self.column("c", inverse)
            aggregate = """
                SELECT \(owner) AS owner, array_agg(c.id ORDER BY \(order)) AS ids
                FROM \(comodelTable) c WHERE \(owner) IN (SELECT id FROM page) GROUP BY \(owner)
                """
        }
        joins.append("LEFT JOIN (\(aggregate)) \(alias) ON \(alias).owner = t.id")
        append(name, .ids, ["\(alias).ids"])
    }

    func unsupported(_ name: String, _ reason: String) -> SQLSourceError {
        SQLSourceError(.unsupportedField(model: model, field: name, reason: reason))
    }
}
