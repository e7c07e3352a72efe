import Postgres

/// Why the SQL source cannot read what a pipeline asks of Odoo's own database. Each description
/// says what happened, where (model, field, table) and what to do; none holds a secret.
public struct SQLSourceError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The model's table (Odoo's `_table`, the model name with `_` for `.`) is not in the database.
        case missingTable(model: String, table: String)
        /// `fields_get` says the field is stored, but its table has no such column.
        case missingColumn(model: String, field: String, table: String)
        /// A computed field Odoo does not store, with no known stored equivalent.
        case notStored(model: String, field: String)
        /// A field the SQL source has no way to read as Odoo's ORM would.
        case unsupportedField(model: String, field: String, reason: String)
        /// A pipeline or window condition the SQL source cannot express.
        case unsupportedDomain(model: String, detail: String)
        /// A value that does not read as its field's type.
        case unreadableValue(model: String, field: String, recordID: Int64?, text: String)
        /// The database failed (after retries for transient failures).
        case database(endpoint: String?, PostgresError)
        case invalidLanguage(String)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    /// True when the underlying database failure is worth another attempt (connection lost,
    /// serialization failure, server shutting down).
    public var isRetryable: Bool {
        if case .database(_, let error) = kind { return error.isRetryable }
        return false
    }

    public var description: String {
        switch kind {
        case .missingTable(let model, let table):
            return "Odoo's database has no table \(table) for model \(model): install the Odoo module that provides it, "
                + "or grant the read-only role access to it, or read this pipeline with --source xmlrpc"
        case .missingColumn(let model, let field, let table):
            return "Odoo reports \(model).\(field) as stored, but table \(table) has no column \(field): the database "
                + "and the Odoo server disagree (a pending module upgrade?); run the upgrade or use --source xmlrpc"
        case .notStored(let model, let field):
            return "\(model).\(field) is a computed field Odoo does not store, so its value is not in the database: "
                + "read this pipeline with --source xmlrpc, or drop the field from the pipeline"
        case .unsupportedField(let model, let field, let reason):
            return "the SQL source cannot read \(model).\(field): \(reason); read this pipeline with --source xmlrpc"
        case .unsupportedDomain(let model, let detail):
            return "the SQL source cannot filter \(model) by \(detail); simplify the pipeline's domain or use --source xmlrpc"
        case .unreadableValue(let model, let field, let recordID, let text):
            let record = recordID.map { " of record \($0)" } ?? ""
            return "\(model).\(field)\(record) holds \(text.prefix(60).debugDescription), which does not read as that "
                + "field's type; correct the value in Odoo or use --source xmlrpc"
        case .database(let endpoint, let error):
            let place = endpoint.map { " (\($0))" } ?? ""
            return "Odoo's database\(place), read through odoo.db_url_env: \(error)\n  hint: check that variable's URL, "
                + "the network and the read-only role's SELECT grants; nothing of this batch was loaded"
        case .invalidLanguage(let language):
            return "\(language.debugDescription) is not a language code such as en_US or fil_PH"
        }
    }
}
