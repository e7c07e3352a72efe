import ETLModel

/// One element of a domain as a pipeline file writes it, in Odoo's prefix (Polish) notation: `'|'`,
/// `'&'`, `'!'` or a condition `[field, operator, value]`. Only the parser sees this form: it
/// checks the notation, then builds the one domain type the engine uses (`OdooDomain`).
enum DomainTerm: Hashable, Sendable {
    case logical(DomainOperator)
    case condition(field: String, operator: String, value: OdooDomain.Value)

    /// Operators Odoo's ORM accepts in a condition.
    static let comparisonOperators: Set<String> = [
        "=", "!=", "<>", ">", ">=", "<", "<=", "=?", "=like", "=ilike", "like", "not like", "ilike",
        "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any",
    ]

    /// A literal as YAML gives it; a list must hold only numbers or only texts.
    static func odooValue(_ value: YAMLDomainValue) -> OdooDomain.Value? {
        switch value {
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .float(number)
        case .string(let text): return .string(text)
        case .list(let values):
            let ints = values.compactMap { if case .int(let number) = $0 { return number } else { return nil } }
            if ints.count == values.count { return .ints(ints) }
            let strings = values.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
            if strings.count == values.count { return .strings(strings) }
            return nil
        }
    }

    /// Terms already checked by the parser's prefix-notation check, as a tree. Odoo ANDs
    /// top-level terms implicitly.
    static func tree(_ terms: [DomainTerm]) -> OdooDomain {
        var position = 0
        var parts: [OdooDomain] = []
        while position < terms.count { parts.append(parse(terms, &position)) }
        switch parts.count {
        case 0: return .all
        case 1: return parts[0]
        default: return .and(parts)
        }
    }

    private static func parse(_ terms: [DomainTerm], _ position: inout Int) -> OdooDomain {
        let term = terms[position]
        position += 1
        switch term {
        case .logical(.not): return .not(parse(terms, &position))
        case .logical(.and): return .and([parse(terms, &position), parse(terms, &position)])
        case .logical(.or): return .or([parse(terms, &position), parse(terms, &position)])
        case .condition(let field, let op, let value): return .leaf(field, OdooDomain.Operator(op), value)
        }
    }
}

enum DomainOperator: String, Hashable, Sendable, CaseIterable {
    case and = "&"
    case or = "|"
    case not = "!"

    /// How many following terms the operator combines.
    var arity: Int { self == .not ? 1 : 2 }
}

/// A literal on the right of a condition as YAML types it. `false` stays a boolean: Odoo reads
/// `('tax_line_id', '!=', False)` as "is set".
indirect enum YAMLDomainValue: Hashable, Sendable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([YAMLDomainValue])
}
