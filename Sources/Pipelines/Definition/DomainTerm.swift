/// One element of an Odoo domain in prefix (Polish) notation: `'|'`, `'&'`, `'!'` or a condition
/// `[field, operator, value]`. The engine turns these into XML-RPC / JSON values.
public enum DomainTerm: Hashable, Sendable {
    case logical(DomainOperator)
    case condition(field: String, operator: String, value: DomainValue)

    /// Operators Odoo's ORM accepts in a condition.
    public static let comparisonOperators: Set<String> = [
        "=", "!=", "<>", ">", ">=", "<", "<=", "=?", "=like", "=ilike", "like", "not like", "ilike",
        "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any",
    ]
}

public enum DomainOperator: String, Hashable, Sendable, CaseIterable {
    case and = "&"
    case or = "|"
    case not = "!"

    /// How many following terms the operator combines.
    public var arity: Int { self == .not ? 1 : 2 }
}

/// A literal on the right of a domain condition. `false` stays a boolean: Odoo reads
/// `('tax_line_id', '!=', False)` as "is set".
public indirect enum DomainValue: Hashable, Sendable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([DomainValue])
}
