import ETLModel
import Foundation
import OdooRPC
import Postgres
import TestSupport

/// Copies the Odoo simulator's data into a database with Odoo 18's real table layout
/// (`OdooLayoutSchema`), as Odoo itself would have stored it: stored values and microsecond
/// `write_date`s from the simulator's control API, translated names as `{"en_US": …}`, account
/// codes per root company, x2many relation tables, and rows for the models the simulator only
/// names (users, countries, products, journals, departments, tax groups). Reloading replaces
/// everything, so a test can change the simulator and mirror the change.
struct OdooLayoutLoader {
    let simulator: OdooSimulator
    let client: OdooClient
    let connection: PostgresConnection

    /// The models the simulator serves, each into its own table.
    static let servedModels = [
        "res.currency", "res.company", "res.partner", "hr.employee", "account.account", "account.tax",
        "hr.expense.sheet", "hr.expense", "account.move", "account.move.line",
    ]
    /// Stored fields whose simulated values a real Odoo 18 column cannot hold (partner_gid above 2^31).
    static let skipped: Set<String> = ["partner_gid"]

    private struct Column {
        let type: String
        let notNull: Bool
    }

    /// Display names of records the simulator only names, with the company of a record pointing at them.
    private struct Named {
        var names: [String: [Int64: String]] = [:]
        var companies: [String: [Int64: Int64]] = [:]
    }

    func load() throws {
        let tables = try connection.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").rows.compactMap {
            try $0.string("tablename")
        }
        try connection.execute(script: "TRUNCATE " + tables.map(PostgresConnection.quoteIdentifier).joined(separator: ", "))
        var named = Named()
        var partnersByName: [String: Int64] = [:]
        var rootOfCompany: [Int64: Int64] = [:]
        try connection.withTransaction {
            for model in Self.servedModels {
                let records = try loadModel(model, named: &named, rootOfCompany: &rootOfCompany)
                if model == "res.partner" {
                    for record in records {
                        if let id = record["id"] as? Int64, let name = record["name"] as? String, partnersByName[name] == nil {
                            partnersByName[name] = id
                        }
                    }
                }
            }
            try loadNamedModels(named, partnersByName: partnersByName)
        }
    }

    // MARK: - Served models

    @discardableResult
    private func loadModel(_ model: String, named: inout Named, rootOfCompany: inout [Int64: Int64]) throws -> [[String: Any]] {
        let table = model.replacingOccurrences(of: ".", with: "_")
        let fields = try client.fieldsGet(model: model)
        let columns = try self.columns(of: table)
        let loadable = fields.values.filter {
            $0.stored && columns[$0.name] != nil && $0.name != "id" && !Self.skipped.contains($0.name) && $0.type != .json
        }.map(\.name).sorted()
        // x2many live in relation tables, and an account's companies decide whose code it stores.
        let lists = fields.values.filter { $0.type == .many2many && $0.stored }.map(\.name).sorted()
        let answer = try simulator.control("read", ["model": model, "domain": [] as [Any], "fields": loadable + lists])
        let records = (answer["records"] as? [[String: Any]] ?? []).map { $0.mapValues(Self.normalized) }

        // What only XML-RPC shows: names of unserved related records, and JSON with its floats intact.
        let unserved = fields.values.filter { $0.type == .many2one && $0.relation.map { !Self.servedModels.contains($0) } == true }
        let jsonFields = fields.values.filter { $0.type == .json && $0.stored && columns[$0.name] != nil }.map(\.name)
        var jsonValues: [Int64: [String: String]] = [:]
        if !unserved.isEmpty || !jsonFields.isEmpty {
            let wanted = unserved.map(\.name) + jsonFields + (fields["company_id"] != nil ? ["company_id"] : [])
            for record in try client.searchRead(model: model, fields: wanted, context: .extraction()) {
                var company: Int64?
                if case .many2one(let id, _) = record["company_id"] { company = id }
                for field in unserved {
                    guard case .many2one(let id, let name) = record[field.name], let relation = field.relation else { continue }
                    named.names[relation, default: [:]][id] = name
                    if let company, named.companies[relation]?[id] == nil { named.companies[relation, default: [:]][id] = company }
                }
                for field in jsonFields {
                    if case .json(let text) = record[field] { jsonValues[record.id, default: [:]][field] = text }
                }
            }
        }

        if model == "res.company" {
            for record in records {
                guard let id = record["id"] as? Int64 else { continue }
                rootOfCompany[id] = (record["parent_id"] as? Int64) ?? id
            }
        }
        for record in records {
            guard let id = record["id"] as? Int64 else { continue }
            var values: [String: String?] = ["id": String(id)]
            for name in loadable {
                guard let type = columns[name]?.type else { continue }
                values[name] = try text(
                    of: record[name], column: name, type: type, model: model, record: record,
                    rootOfCompany: rootOfCompany)
            }
            for name in jsonFields { values[name] = jsonValues[id]?[name] }
            if model == "res.company" {
                let parent = record["parent_id"] as? Int64
                values["parent_path"] = parent.map { "\($0)/\(id)/" } ?? "\(id)/"
            }
            try insert(table, values, columns: columns)
            try insertRelations(model: model, id: id, record: record, fields: fields)
        }
        return records
    }

    /// The text PostgreSQL reads for a stored simulator value in a column of this type.
    private func text(
        of value: Any?, column: String, type: String, model: String, record: [String: Any],
        rootOfCompany: [Int64: Int64]
    ) throws -> String? {
        guard let value, !(value is NSNull) else { return nil }
        if type == "jsonb" {
            if model == "account.account", column == "code_store" {
                // Odoo 18 keeps an account's code per root company.
                let company = (record["company_ids"] as? [Int64])?.first ?? 1
                return try Self.json([String(rootOfCompany[company] ?? company): value])
            }
            return try Self.json(["en_US": value])
        }
        switch value {
        case let flag as Bool: return flag ? "t" : "f"
        case let number as Int64: return String(number)
        case let number as Double: return "\(number)"
        case let text as String: return text
        default: return nil
        }
    }

    private func insertRelations(model: String, id: Int64, record: [String: Any], fields: [String: OdooField]) throws {
        for field in fields.values where field.type == .many2many && field.stored {
            guard let comodel = field.relation, let ids = record[field.name] as? [Int64], !ids.isEmpty else { continue }
            let own = model.replacingOccurrences(of: ".", with: "_")
            let other = comodel.replacingOccurrences(of: ".", with: "_")
            let sorted = [own, other].sorted()
            let relation = "\(sorted[0])_\(sorted[1])_rel"
            guard try !columns(of: relation).isEmpty else { continue }
            for other in ids {
                try connection.query(
                    "INSERT INTO \(relation) (\(own)_id, \(comodel.replacingOccurrences(of: ".", with: "_"))_id) VALUES ($1, $2)",
                    [id, other])
            }
        }
    }

    // MARK: - Models the simulator only names

    private func loadNamedModels(_ named: Named, partnersByName: [String: Int64]) throws {
        func each(_ model: String, _ body: (Int64, String, Int64) throws -> Void) throws {
            for (id, name) in (named.names[model] ?? [:]).sorted(by: { $0.key < $1.key }) {
                try body(id, name, named.companies[model]?[id] ?? 1)
            }
        }
        try each("res.users") { id, name, _ in
            guard let partner = partnersByName[name] else {
                throw HarnessError("user \(id) '\(name)' has no partner of that name in the simulator; create one first")
            }
            try insert(
                "res_users",
                [
                    "id": String(id), "company_id": "1", "partner_id": String(partner), "login": "user\(id)",
                    "notification_type": "email", "active": "t",
                ])
        }
        try each("res.country") { id, name, _ in
            let code = ["Philippines": "PH", "United States": "US"][name] ?? String(name.prefix(2)).uppercased()
            try insert("res_country", ["id": String(id), "code": code, "name": try Self.json(["en_US": name])])
        }
        try each("product.product") { id, name, _ in
            // "[FOOD] Meals": the default code in brackets, then the template's name.
            var code: String?
            var label = name
            if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
                code = String(name[name.index(after: name.startIndex)..<close])
                label = String(name[name.index(close, offsetBy: 2)...])
            }
            try insert("product_template", ["id": String(id), "name": try Self.json(["en_US": label])])
            try insert("product_product", ["id": String(id), "product_tmpl_id": String(id), "default_code": code])
        }
        try each("account.tax.group") { id, name, company in
            try insert("account_tax_group", ["id": String(id), "company_id": String(company), "name": try Self.json(["en_US": name])])
        }
        try each("account.journal") { id, name, company in
            try insert(
                "account_journal",
                [
                    "id": String(id), "company_id": String(company), "code": "J\(id)", "type": "general",
                    "name": try Self.json(["en_US": name]),
                ])
        }
        try each("hr.department") { id, name, company in
            try insert(
                "hr_department",
                [
                    "id": String(id), "company_id": String(company), "complete_name": name,
                    "name": try Self.json(["en_US": name]),
                ])
        }
    }

    // MARK: - SQL

    private func columns(of table: String) throws -> [String: Column] {
        var columns: [String: Column] = [:]
        for row in try connection.query(
            """
            SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute
            WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped
            """, [table]
        ).rows {
            columns[try row.string("attname")!] = Column(type: try row.string("type")!, notNull: try row.bool("attnotnull") ?? false)
        }
        return columns
    }

    private func insert(_ table: String, _ values: [String: String?]) throws {
        try insert(table, values, columns: try columns(of: table))
    }

    /// One row; NOT NULL columns the values leave out get a neutral value of their type.
    private func insert(_ table: String, _ values: [String: String?], columns: [String: Column]) throws {
        var values = values
        for (name, column) in columns where column.notNull && (values[name] ?? nil) == nil {
            values[name] = Self.neutral(column.type)
        }
        let names = values.keys.sorted()
        let placeholders = names.enumerated().map { "$\($0.offset + 1)::\(columns[$0.element]!.type)" }
        try connection.query(
            "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", ")))",
            names.map { values[$0]! as PostgresBindable? })
    }

    private static func neutral(_ type: String) -> String {
        switch type {
        case "boolean": return "f"
        case "date": return "1970-01-01"
        case "jsonb": return "{}"
        case "integer", "bigint", "numeric", "double precision": return "1"
        default: return type.hasPrefix("timestamp") ? "1970-01-01 00:00:00" : "none"
        }
    }

    private static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// JSON values as Swift's Bool, Int64 or Double (by how Foundation stored the number), lists as [Any].
    private static func normalized(_ value: Any) -> Any {
        if let number = value as? NSNumber {
            switch String(cString: number.objCType) {
            case "c", "B": return number.boolValue
            case "d", "f": return number.doubleValue
            default: return number.int64Value
            }
        }
        if let list = value as? [Any] { return list.map(normalized) }
        return value
    }
}
