import Postgres

/// The query that reads the display names Odoo 18 shows for records of one model, by id: what
/// the second element of a many2one pair holds. Names are read once per id and window rather
/// than joined into every row, which keeps pages narrow and lets PostgreSQL read them by key.
///
/// Models whose `_compute_display_name` differs from "the name field" have a recipe here,
/// written after Odoo 18's code; every other model shows its `name` column (translated when it
/// is jsonb), Odoo's default `_rec_name`. The comodel's table is `c`.
struct SQLSourceNameQuery {
    let comodel: String
    private let schema: SQLSourceSchema
    private let language: String
    /// The company whose view company-dependent values take (account codes), a bound parameter.
    private let actingCompany: String
    private var parameters = SQLSourceParameters()
    private var joins: [String] = []
    private var aliasCount = 0
    private(set) var expression = ""

    /// - Parameters:
    ///   - field: the many2one that needs these names, for error messages.
    ///   - companyID: the acting company; without one, account codes are not shown.
    init(
        comodel: String, field: (model: String, name: String), companyID: Int64?, schema: SQLSourceSchema,
        language: String
    ) throws {
        self.comodel = comodel
        self.schema = schema
        self.language = language
        if let companyID {
            actingCompany = parameters.bind(companyID)
        } else {
            actingCompany = "NULL::integer"
        }
        expression = try displayName(field: field)
    }

    /// `COPY` of `(id, display name)` for `ids`, with its parameters.
    func copy(ids: [Int64]) -> (sql: String, parameters: SQLSourceParameters) {
        var parameters = self.parameters
        let list = parameters.bindArray(SQLSourceParameters.arrayLiteral(ids), of: "bigint")
        let sql = """
            COPY (
                SELECT c.id, COALESCE(\(expression), '')
                FROM \(SQLSourceSelect.quote(SQLSourceSchema.table(of: comodel))) c
                \(joins.joined(separator: "\n    "))
                WHERE c.id = ANY(\(list))
            ) TO STDOUT
            """
        return (sql, parameters)
    }

    private mutating func newAlias() -> String {
        aliasCount += 1
        return "n\(aliasCount)"
    }

    private mutating func join(_ model: String, alias: String, on condition: String) throws {
        _ = try schema.requireColumns(of: model)
        joins.append("LEFT JOIN \(SQLSourceSelect.quote(SQLSourceSchema.table(of: model))) \(alias) ON \(condition)")
    }

    private mutating func displayName(field: (model: String, name: String)) throws -> String {
        let columns = try schema.requireColumns(of: comodel)
        let c = "c"
        func name() throws -> String { try nameColumn(of: comodel, alias: c, columns: columns, field: field) }
        switch comodel {
        case "res.partner" where columns["complete_name"] != nil:
            return "COALESCE(NULLIF(\(c).complete_name, ''), \(c).name)"
        case "res.users":
            // A user's name is its partner's (`_inherits`).
            let partner = newAlias()
            try join("res.partner", alias: partner, on: "\(partner).id = \(c).partner_id")
            return "\(partner).name"
        case "hr.department" where columns["complete_name"] != nil:
            // `_rec_name = 'complete_name'` ("Sales / Export") unless the context turns hierarchy off.
            return "COALESCE(NULLIF(\(c).complete_name, ''), \(try name()))"
        case "account.account":
            return try accountName(alias: c, columns: columns, field: field)
        case "account.move":
            return moveName(alias: c)
        case "product.product":
            return try productName(alias: c, field: field)
        case "account.journal":
            return try journalName(alias: c, name: try name())
        case "account.tax":
            return try taxName(alias: c, name: try name())
        default:
            return try name()
        }
    }

    private func nameColumn(
        of comodel: String, alias c: String, columns: SQLSourceSchema.Columns,
        field: (model: String, name: String)
    ) throws -> String {
        guard let type = columns["name"] else {
            throw SQLSourceError(
                .unsupportedField(
                    model: field.model, field: field.name,
                    reason: "odoo-etl knows no display "
                        + "name for \(comodel) and its table has no name column"))
        }
        return type == "jsonb" ? SQLSourceSelect.translated(c, "name", language: language) : SQLSourceSelect.column(c, "name")
    }

    /// `"<code> <name>"`; in Odoo 18 the code is per root company (`code_store` jsonb keyed by
    /// company id), seen from the acting company; Odoo 17 and earlier store a plain `code`.
    private mutating func accountName(
        alias c: String, columns: SQLSourceSchema.Columns,
        field: (model: String, name: String)
    ) throws -> String {
        let name = try nameColumn(of: "account.account", alias: c, columns: columns, field: field)
        let code: String
        if columns["code_store"] == "jsonb" {
            let company = newAlias()
            try join("res.company", alias: company, on: "\(company).id = \(actingCompany)")
            let root = "COALESCE(NULLIF(split_part(\(company).parent_path, '/', 1), ''), \(company).id::text)"
            code = "NULLIF(\(c).code_store ->> \(root), '')"
        } else if columns["code"] != nil {
            code = "NULLIF(\(c).code, '')"
        } else {
            return name
        }
        return "CASE WHEN \(code) IS NOT NULL THEN \(code) || ' ' || \(name) ELSE \(name) END"
    }

    /// `_get_move_display_name(show_ref=True)`: "Draft Bill (* 42) (REF-1)", "INV/2025/00001 (ref)".
    private func moveName(alias c: String) -> String {
        let drafts = [
            ("out_invoice", "Draft Invoice"), ("out_refund", "Draft Credit Note"), ("in_invoice", "Draft Bill"),
            ("in_refund", "Draft Vendor Credit Note"), ("out_receipt", "Draft Sales Receipt"),
            ("in_receipt", "Draft Purchase Receipt"),
        ]
        let prefix =
            "CASE \(c).move_type " + drafts.map { "WHEN '\($0.0)' THEN '\($0.1) '" }.joined(separator: " ")
            + " ELSE 'Draft Entry ' END"
        // textwrap.shorten(ref, width=50): whitespace collapsed, then cut at a word end with " [...]".
        let collapsed = "btrim(regexp_replace(\(c).ref, '[[:space:]]+', ' ', 'g'))"
        let shortened =
            "CASE WHEN char_length(\(collapsed)) <= 50 THEN \(collapsed) "
            + "ELSE btrim(COALESCE(substring(\(collapsed) from '^(.{0,44})[[:space:]]'), '') || ' [...]') END"
        return """
            (CASE WHEN \(c).state = 'draft' THEN \(prefix) ELSE '' END
             || CASE WHEN \(c).name IS NULL OR \(c).name IN ('', '/') THEN '(* ' || \(c).id || ')' ELSE \(c).name END
             || CASE WHEN \(c).ref IS NOT NULL AND \(c).ref <> '' THEN ' (' || \(shortened) || ')' ELSE '' END)
            """
    }

    /// `"[default_code] name"`, the name being the template's (variant attribute values are not appended).
    private mutating func productName(alias c: String, field: (model: String, name: String)) throws -> String {
        let templateColumns = try schema.requireColumns(of: "product.template")
        let template = newAlias()
        try join("product.template", alias: template, on: "\(template).id = \(c).product_tmpl_id")
        let name = try nameColumn(of: "product.template", alias: template, columns: templateColumns, field: field)
        return "(CASE WHEN NULLIF(\(c).default_code, '') IS NOT NULL THEN '[' || \(c).default_code || '] ' ELSE '' END || \(name))"
    }

    /// The name, plus " (EUR)" when the journal's currency is not its company's.
    private mutating func journalName(alias c: String, name: String) throws -> String {
        let company = newAlias()
        let currency = newAlias()
        try join("res.company", alias: company, on: "\(company).id = \(c).company_id")
        try join("res.currency", alias: currency, on: "\(currency).id = \(c).currency_id")
        return "(CASE WHEN \(c).currency_id IS NOT NULL AND \(c).currency_id IS DISTINCT FROM \(company).currency_id "
            + "THEN \(name) || ' (' || \(currency).name || ')' ELSE \(name) END)"
    }

    /// The name, plus " (US)" when the tax's country is not its company's fiscal country.
    private mutating func taxName(alias c: String, name: String) throws -> String {
        let company = newAlias()
        let country = newAlias()
        try join("res.company", alias: company, on: "\(company).id = \(c).company_id")
        try join("res.country", alias: country, on: "\(country).id = \(c).country_id")
        return "(CASE WHEN \(c).country_id IS DISTINCT FROM \(company).account_fiscal_country_id "
            + "THEN \(name) || ' (' || COALESCE(\(country).code, '') || ')' ELSE \(name) END)"
    }
}
