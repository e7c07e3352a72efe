/// What Odoo's Python code decides and its tables do not say, for the models the pipelines read
/// (Odoo 18 Community: base, account, hr, hr_expense, product). Everything else follows Odoo's
/// defaults: table = model name with `_`, display name = the `name` column.
enum SQLSourceCatalog {
    /// A related field Odoo does not store, read through the stored fields it is related to.
    struct RelatedPath: Sendable {
        /// many2one hops from the pipeline's record, each with the model it lands on.
        let hops: [(field: String, model: String)]
        /// The stored column on the last hop's table.
        let column: String
    }

    /// `field = fields.X(related='a.b')` declarations of Odoo 18 for non-stored fields pipelines read.
    static let relatedFields: [String: [String: RelatedPath]] = [
        "res.company": [
            "vat": RelatedPath(hops: [("partner_id", "res.partner")], column: "vat"),
            "company_registry": RelatedPath(hops: [("partner_id", "res.partner")], column: "company_registry"),
            // `_compute_address` reads the company partner's contact address, which is the partner itself.
            "country_id": RelatedPath(hops: [("partner_id", "res.partner")], column: "country_id"),
            "street": RelatedPath(hops: [("partner_id", "res.partner")], column: "street"),
            "city": RelatedPath(hops: [("partner_id", "res.partner")], column: "city"),
            "zip": RelatedPath(hops: [("partner_id", "res.partner")], column: "zip"),
            "website": RelatedPath(hops: [("partner_id", "res.partner")], column: "website"),
        ],
        "hr.expense": [
            "company_currency_id": RelatedPath(hops: [("company_id", "res.company")], column: "currency_id"),
            "approved_by": RelatedPath(hops: [("sheet_id", "hr.expense.sheet")], column: "user_id"),
            "approved_on": RelatedPath(hops: [("sheet_id", "hr.expense.sheet")], column: "approval_date"),
        ],
        "hr.expense.sheet": [
            "company_currency_id": RelatedPath(hops: [("company_id", "res.company")], column: "currency_id")
        ],
        "account.move": [
            "company_currency_id": RelatedPath(hops: [("company_id", "res.company")], column: "currency_id")
        ],
        "account.move.line": [
            "move_type": RelatedPath(hops: [("move_id", "account.move")], column: "move_type")
        ],
    ]

    /// one2many fields and the many2one of the comodel that is their inverse.
    static let one2manyInverses: [String: [String: String]] = [
        "hr.expense.sheet": ["account_move_ids": "expense_sheet_id", "expense_line_ids": "sheet_id"],
        "account.move": ["line_ids": "move_id"],
        "res.partner": ["child_ids": "parent_id"],
        "res.company": ["child_ids": "parent_id"],
        "hr.employee": ["child_ids": "parent_id"],
    ]

    /// A many2many's relation table, as Odoo names it when the field does not: the two tables in
    /// alphabetical order joined by `_` plus `_rel`, columns `<table>_id`.
    static func many2manyTable(model: String, comodel: String) -> (table: String, ownColumn: String, otherColumn: String) {
        let own = SQLSourceSchema.table(of: model)
        let other = SQLSourceSchema.table(of: comodel)
        let sorted = [own, other].sorted()
        return ("\(sorted[0])_\(sorted[1])_rel", "\(own)_id", "\(other)_id")
    }

    /// `ORDER BY` of a model's default `_order` on alias `c`: how Odoo orders the ids of an x2many.
    static func order(of model: String, alias c: String) -> String {
        switch model {
        case "account.tax": return "\(c).sequence, \(c).id"
        case "account.move": return "\(c).date DESC, \(c).name DESC, \(c).invoice_date DESC, \(c).id DESC"
        case "account.move.line": return "\(c).date DESC, \(c).move_name DESC, \(c).id"
        case "hr.expense": return "\(c).date DESC, \(c).id DESC"
        case "hr.employee": return "\(c).name, \(c).id"
        case "res.company": return "\(c).sequence, \(c).name, \(c).id"
        case "res.partner": return "\(c).complete_name, \(c).id DESC"
        default: return "\(c).id"
        }
    }
}
