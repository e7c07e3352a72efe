import Foundation

/// An Odoo search domain as a small typed tree, encoded to Odoo's prefix-notation list.
///
/// ```swift
/// let domain: OdooDomain = .leaf("write_date", ">=", .datetime(start)) && .leaf("id", ">", 40) && !.leaf("state", "=", "draft")
/// ```
public indirect enum OdooDomain: Hashable, Sendable, CustomStringConvertible {
    /// The empty domain: every record.
    case all
    /// `(field, operator, value)`.
    case leaf(String, Operator, Value)
    case and([OdooDomain])
    case or([OdooDomain])
    case not(OdooDomain)

    /// A comparison operator as Odoo spells it. Any spelling is accepted (a string literal works);
    /// Odoo rejects unknown ones with a fault.
    public struct Operator: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        public static let equal: Operator = "="
        public static let notEqual: Operator = "!="
        public static let greater: Operator = ">"
        public static let greaterOrEqual: Operator = ">="
        public static let less: Operator = "<"
        public static let lessOrEqual: Operator = "<="
        public static let `in`: Operator = "in"
        public static let notIn: Operator = "not in"
        public static let like: Operator = "like"
        public static let ilike: Operator = "ilike"
    }

    /// The right-hand side of a leaf.
    public enum Value: Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
        ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral
    {
        case int(Int64)
        case float(Double)
        case string(String)
        /// `False` is also how a domain asks for an empty field: `("sheet_id", "=", false)`.
        case bool(Bool)
        case date(OdooDate)
        /// Sent as `YYYY-MM-DD HH:MM:SS` (with `.ffffff` only when it has a fraction).
        case datetime(OdooDateTime)
        case ints([Int64])
        case strings([String])

        public init(integerLiteral value: Int64) { self = .int(value) }
        public init(stringLiteral value: String) { self = .string(value) }
        public init(booleanLiteral value: Bool) { self = .bool(value) }
        public init(floatLiteral value: Double) { self = .float(value) }

        /// The value as Odoo's APIs receive it.
        public var json: JSONValue {
            switch self {
            case .int(let value): return .int(value)
            case .float(let value): return .double(value)
            case .string(let value): return .string(value)
            case .bool(let value): return .bool(value)
            case .date(let value): return .string(value.description)
            case .datetime(let value): return .string(value.description)
            case .ints(let values): return .array(values.map { .int($0) })
            case .strings(let values): return .array(values.map { .string($0) })
            }
        }
    }

    public static func && (lhs: OdooDomain, rhs: OdooDomain) -> OdooDomain { .and([lhs, rhs]) }
    public static func || (lhs: OdooDomain, rhs: OdooDomain) -> OdooDomain { .or([lhs, rhs]) }
    public static prefix func ! (operand: OdooDomain) -> OdooDomain { .not(operand) }

    /// The fields the conditions name, in the order written (paths such as `tax_line_id.l10n_ph_atc` as given).
    public var fieldPaths: [String] {
        switch self {
        case .all: return []
        case .leaf(let field, _, _): return [field]
        case .not(let operand): return operand.fieldPaths
        case .and(let operands), .or(let operands): return operands.flatMap(\.fieldPaths)
        }
    }

    /// A domain that matches no record (`id in []`), what `!.all` means.
    public static let none: OdooDomain = .leaf("id", .in, .ints([]))

    /// The same condition with `.all` folded away and nested `and`/`or` flattened.
    public var simplified: OdooDomain {
        switch self {
        case .all, .leaf:
            return self
        case .not(let operand):
            let inner = operand.simplified
            if case .all = inner { return .none }
            if case .not(let doubled) = inner { return doubled }
            return .not(inner)
        case .and(let operands):
            var flat: [OdooDomain] = []
            for operand in operands.map(\.simplified) {
                switch operand {
                case .all: continue
                case .and(let nested): flat += nested
                default: flat.append(operand)
                }
            }
            return flat.isEmpty ? .all : flat.count == 1 ? flat[0] : .and(flat)
        case .or(let operands):
            var flat: [OdooDomain] = []
            for operand in operands.map(\.simplified) {
                switch operand {
                case .all: return .all
                case .or(let nested): flat += nested
                default: flat.append(operand)
                }
            }
            return flat.isEmpty ? .none : flat.count == 1 ? flat[0] : .or(flat)
        }
    }

    /// The domain as Odoo's list: leaves as `[field, operator, value]` arrays and `&`, `|`, `!`
    /// in prefix position; `.all` is the empty list.
    public var jsonValue: JSONValue { .array(terms) }

    var terms: [JSONValue] {
        let domain = simplified
        if case .all = domain { return [] }
        var output: [JSONValue] = []
        domain.appendPrefixTerms(to: &output)
        return output
    }

    private func appendPrefixTerms(to output: inout [JSONValue]) {
        switch self {
        case .all:
            // Only reachable inside a domain that was not simplified; the caller simplifies first.
            OdooDomain.none.appendPrefixTerms(to: &output)
        case .leaf(let field, let op, let value):
            output.append(.array([.string(field), .string(op.rawValue), value.json]))
        case .not(let operand):
            output.append(.string("!"))
            operand.appendPrefixTerms(to: &output)
        case .and(let operands), .or(let operands):
            let symbol: JSONValue = .string({ if case .and = self { return "&" } else { return "|" } }())
            for _ in 1..<max(1, operands.count) { output.append(symbol) }
            for operand in operands { operand.appendPrefixTerms(to: &output) }
        }
    }

    /// Python's spelling of the list, as Odoo's documentation and logs show domains.
    public var description: String {
        "[" + terms.map(OdooDomain.python).joined(separator: ", ") + "]"
    }

    private static func python(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "True" : "False"
        case .array(let elements):
            // A leaf is a tuple in Python's notation, a value list a list.
            if elements.count == 3, case .string = elements[0], case .string = elements[1] {
                return "(" + elements.map(python).joined(separator: ", ") + ")"
            }
            return "[" + elements.map(python).joined(separator: ", ") + "]"
        case .null: return "None"
        case .object: return value.canonicalText
        }
    }
}

/// The `context` of a call. `activeTest: false` includes archived records; `allowedCompanyIDs`
/// selects the companies the user acts in (Odoo's multi-company switcher).
public struct OdooContext: Hashable, Sendable {
    public var activeTest: Bool?
    public var allowedCompanyIDs: [Int64]?
    /// e.g. `en_US`; names of translatable fields come in this language.
    public var language: String?

    public init(activeTest: Bool? = nil, allowedCompanyIDs: [Int64]? = nil, language: String? = nil) {
        self.activeTest = activeTest
        self.allowedCompanyIDs = allowedCompanyIDs
        self.language = language
    }

    /// What extraction always sends: archived records included, optionally one company.
    public static func extraction(companyID: Int64? = nil) -> OdooContext {
        OdooContext(activeTest: false, allowedCompanyIDs: companyID.map { [$0] })
    }

    /// The context as the object Odoo receives.
    public var jsonValue: JSONValue {
        var members: [JSONValue.Member] = []
        if let activeTest { members.append(JSONValue.Member("active_test", .bool(activeTest))) }
        if let allowedCompanyIDs { members.append(JSONValue.Member("allowed_company_ids", .array(allowedCompanyIDs.map { .int($0) }))) }
        if let language { members.append(JSONValue.Member("lang", .string(language))) }
        return .object(members)
    }
}
