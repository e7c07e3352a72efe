extension SQLSourceSelect {
    /// The SQL expression of the display name Odoo 18 shows for the `comodel` record whose id is
    /// `id` (the second element of a many2one pair), with the joins it needs. NULL when `id` is.
    ///
    /// Models whose `_compute_display_name` differs from "the name field" have a recipe here,
    /// written after Odoo 18's code; every other model shows its `name` column (translated when
    /// it is jsonb), Odoo's default `_rec_name`.
    mutating func displayName(of comodel: String, id: String, field: String) throws -> String {
        let columns = try schema.requireColumns(of: comodel)
        let c = newAlias()
        join(comodel, alias: c, on: "\(c).id = \(id)")
        func name() throws -> String { try nameColumn(of: comodel, alias: c, columns: columns, field: field) }
        switch comodel {
        case "res.partner" where columns["complete_name"] != nil:
            return "COALESCE(NULLIF(\(c).complete_name, ''), \(c).name)"
        case "res.users":
            // A user's name is its partner's (`_inherits`).
            let partner = newAlias()
            _ = try schema.requireColumns(of: "res.partner")
            join("res.partner", alias: partner, on: "\(partner).id = \(c).partner_id")
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

    private func nameColumn(of comodel: String, alias c: String, columns: SQLSourceSchema.Columns, field: String) throws -> String {
        guard let type = columns["name"] else {
            throw unsupported(field, "odoo-etl knows no display name for \(comodel) and its table has no name column")
        }
        return type == "jsonb" ? translated(c, "name") : Self.column(c, "name")
    }

    /// `"<code> <name>"`; in Odoo 18 the code is per root company (`code_store` jsonb keyed by
    /// company id), seen from the acting company; Odoo 17 and earlier store a plain `code`.
    private mutating func accountName(alias c: String, columns: SQLSourceSchema.Columns, field: String) throws -> String {
        let name = try nameColumn(of: "account.account", alias: c, columns: columns, field: field)
        let code: String
        if columns["code_store"] == "jsonb" {
            let company = newAlias()
            _ = try schema.requireColumns(of: "res.company")
            join("res.company", alias: company, on: "\(company).id = \(actingCompany)")
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
        let drafts = [("out_invoice", "Draft Invoice"), ("out_refund", "Draft Credit Note"), ("in_invoice", "Draft Bill"),
                      ("in_refund", "Draft Vendor Credit Note"), ("out_receipt", "Draft Sales Receipt"),
                      ("in_receipt", "Draft Purchase Receipt")]
        let prefix = "CASE \(c).move_type " + drafts.map { "WHEN '\($0.0)' THEN '\($0.1) '" }.joined(separator: " ")
            + " ELSE 'Draft Entry ' END"
        // textwrap.shorten(ref, width=50): whitespace collapsed, then cut at a word end with " [...]".
        let collapsed = "btrim(regexp_replace(\(c).ref, '[[:space:]]+', ' ', 'g'))"
        let shortened = "CASE WHEN char_length(\(collapsed)) <= 50 THEN \(collapsed) "
            + "ELSE btrim(COALESCE(substring(\(collapsed) from '^(.{0,44})[[:space:]]'), '') || ' [...]') END"
        return """
            (CASE WHEN \(c).state = 'draft' THEN \(prefix) ELSE '' END
             || CASE WHEN \(c).name IS NULL OR \(c).name IN ('', '/') THEN '(* ' || \(c).id || ')' ELSE \(c).name END
             || CASE WHEN \(c).ref IS NOT NULL AND \(c).ref <> '' THEN ' (' || \(shortened) || ')' ELSE '' END)
            """
    }

    /// `"[default_code] name"`, the name being the template's (variant attribute values are not appended).
    private mutating func productName(alias c: String, field: String) throws -> String {
        let templateColumns = try schema.requireColumns(of: "product.template")
        let template = newAlias()
        join("product.template", alias: template, on: "\(template).id = \(c).product_tmpl_id")
        let name = try nameColumn(of: "product.template", alias: template, columns: templateColumns, field: field)
        return "(CASE WHEN NULLIF(\(c).default_code, '') IS NOT NULL THEN '[' || \(c).default_code || '] ' ELSE '' END || \(name))"
    }

    /// The name, plus " (EUR)" when the journal's currency is not its company's.
    private mutating func journalName(alias c: String, name: String) throws -> String {
        _ = try schema.requireColumns(of: "res.company")
        _ = try schema.requireColumns(of: "res.currency")
        let company = newAlias()
        let currency = newAlias()
        join("res.company", alias: company, on: "\(company).id = \(c).company_id")
        join("res.currency", alias: currency, on: "\(currency).id = \(c).currency_id")
        return "(CASE WHEN \(c).currency_id IS NOT NULL AND \(c).currency_id IS DISTINCT FROM \(company).currency_id "
            + "THEN \(name) || ' (' || \(currency).name || ')' ELSE \(name) END)"
    }

    /// The name, plus " (US)" when the tax's country is not its company's fiscal country.
    private mutating func taxName(alias c: String, name: String) throws -> String {
        _ = try schema.requireColumns(of: "res.company")
        _ = try schema.requireColumns(of: "res.country")
        let company = newAlias()
        let country = newAlias()
        join("res.company", alias: company, on: "\(company).id = \(c).company_id")
        join("res.country", alias: country, on: "\(country).id = \(c).country_id")
        return "(CASE WHEN \(c).country_id IS DISTINCT FROM \(company).account_fiscal_country_id "
            + "THEN \(name) || ' (' || COALESCE(\(country).code, '') || ')' ELSE \(name) END)"
    }
}
