import ETLModel

/// An Odoo domain as a SQL condition on the model's table `t`, with the ORM's semantics:
/// `= False` is `IS NULL` (on a boolean: not true), `!=` and `not in` include NULL, `like` and
/// `ilike` match anywhere, `!` is pushed down to the leaves as Odoo does (so `!(a = 1)` includes
/// NULL like `a != 1`). Leaves may name `id` or a stored column of the model; values are bound
/// as parameters.
struct SQLSourceDomain {
    let model: String
    let columns: SQLSourceSchema.Columns
    let fields: [String: OdooField]
    /// Validated language code, for translated (jsonb) char fields.
    let language: String

    func condition(_ domain: OdooDomain, _ parameters: inout SQLSourceParameters) throws -> String {
        switch domain.simplified {
        case .all:
            return "TRUE"
        case .leaf(let field, let op, let value):
            return try leaf(field, op.rawValue, value, &parameters)
        case .and(let operands):
            return "(" + (try operands.map { try condition($0, &parameters) }).joined(separator: " AND ") + ")"
        case .or(let operands):
            return "(" + (try operands.map { try condition($0, &parameters) }).joined(separator: " OR ") + ")"
        case .not(let operand):
            return try condition(try negated(operand), &parameters)
        }
    }

    private static let negations: [String: String] = [
        "=": "!=", "!=": "=", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
        "in": "not in", "not in": "in", "like": "not like", "not like": "like", "ilike": "not ilike", "not ilike": "ilike",
    ]

    private func negated(_ domain: OdooDomain) throws -> OdooDomain {
        switch domain.simplified {
        case .all: return .none
        case .not(let operand): return operand
        case .and(let operands): return .or(try operands.map(negated))
        case .or(let operands): return .and(try operands.map(negated))
        case .leaf(let field, let op, let value):
            guard let opposite = Self.negations[op.rawValue] else {
                throw unsupported("the negation of (\(field) \(op.rawValue) …)")
            }
            return .leaf(field, OdooDomain.Operator(opposite), value)
        }
    }

    private func leaf(_ name: String, _ op: String, _ value: OdooDomain.Value, _ parameters: inout SQLSourceParameters) throws -> String {
        let (expression, type) = try operand(name)
        switch op {
        case "=?":
            if case .bool(false) = value { return "TRUE" }
            return try leaf(name, "=", value, &parameters)
        case "=", "!=", "<>":
            let equal = op == "="
            if case .bool(let flag) = value {
                if type == .boolean { return "\(expression) \(equal == flag ? "IS TRUE" : "IS NOT TRUE")" }
                guard !flag else { throw unsupported("(\(name) \(op) True) on a \(type.rawValue) field") }
                return "\(expression) \(equal ? "IS NULL" : "IS NOT NULL")"
            }
            let bound = try bind(value, for: type, op: op, field: name, &parameters)
            return equal ? "\(expression) = \(bound)" : "(\(expression) <> \(bound) OR \(expression) IS NULL)"
        case "<", "<=", ">", ">=":
            return "\(expression) \(op) \(try bind(value, for: type, op: op, field: name, &parameters))"
        case "in", "not in":
            let literal: String
            switch value {
            case .ints(let numbers):
                if numbers.isEmpty { return op == "in" ? "FALSE" : "TRUE" }
                literal = SQLSourceParameters.arrayLiteral(numbers)
            case .strings(let texts):
                if texts.isEmpty { return op == "in" ? "FALSE" : "TRUE" }
                literal = SQLSourceParameters.arrayLiteral(texts)
            default:
                throw unsupported("(\(name) \(op) …) with a value that is not a list")
            }
            let list = parameters.bindArray(literal, of: try castType(type, field: name))
            return op == "in" ? "\(expression) = ANY(\(list))" : "(\(expression) <> ALL(\(list)) OR \(expression) IS NULL)"
        case "like", "ilike", "not like", "not ilike", "=like", "=ilike":
            guard case .string(let text) = value else { throw unsupported("(\(name) \(op) …) with a value that is not text") }
            let pattern = parameters.bind(op.hasPrefix("=") ? text : "%\(text)%", as: "text")
            let keyword = op.hasSuffix("ilike") ? "ILIKE" : "LIKE"
            if op.hasPrefix("not") { return "(\(expression)::text NOT \(keyword) \(pattern) OR \(expression) IS NULL)" }
            return "\(expression)::text \(keyword) \(pattern)"
        default:
            throw unsupported("the operator '\(op)' (on \(name))")
        }
    }

    /// The SQL of a field in a condition and its Odoo type.
    private func operand(_ name: String) throws -> (String, OdooFieldType) {
        if name == "id" { return ("t.id", .integer) }
        guard let field = fields[name], let type = field.type else { throw unsupported("\(name), which fields_get does not list") }
        guard field.stored, let columnType = columns[name] else { throw unsupported("\(name), which is not a stored column") }
        let column = SQLSourceSelect.column("t", name)
        if columnType == "jsonb" {
            guard !field.companyDependent, [.char, .text, .html].contains(type) else {
                throw unsupported("\(name), a company-dependent field (jsonb per company)")
            }
            return (language == "en_US" ? "(\(column) ->> 'en_US')" : "COALESCE(\(column) ->> '\(language)', \(column) ->> 'en_US')", type)
        }
        return (column, type)
    }

    private func castType(_ type: OdooFieldType, field: String) throws -> String {
        switch type {
        case .integer, .many2one, .many2oneReference: return "bigint"
        case .float, .monetary: return "numeric"
        case .char, .text, .html, .selection, .reference: return "text"
        case .date: return "date"
        case .datetime: return "timestamp"
        case .boolean: return "boolean"
        default: throw unsupported("\(field), a \(type.rawValue) field")
        }
    }

    private func bind(
        _ value: OdooDomain.Value, for type: OdooFieldType, op: String, field: String,
        _ parameters: inout SQLSourceParameters
    ) throws -> String {
        let cast = try castType(type, field: field)
        let text: String
        switch (value, type) {
        case (.int(let number), _): text = String(number)
        case (.float(let number), _): text = "\(number)"
        case (.datetime(let instant), .date): text = instant.date.description
        case (.datetime(let instant), _): text = instant.description
        case (.date(let date), .datetime):
            // Odoo reads a date-only bound on a datetime as that day's first second, or its last for > and <=.
            text = "\(date) " + (op == ">" || op == "<=" ? "23:59:59" : "00:00:00")
        case (.date(let date), _): text = date.description
        case (.string(let string), .many2one):
            throw unsupported("(\(field) \(op) \(string.debugDescription)): a many2one compared with a name")
        case (.string(let string), _): text = string
        default: throw unsupported("(\(field) \(op) …) with this kind of value")
        }
        return parameters.bind(text, as: cast)
    }

    private func unsupported(_ detail: String) -> SQLSourceError {
        SQLSourceError(.unsupportedDomain(model: model, detail: detail))
    }
}
