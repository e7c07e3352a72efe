import Odoo
import Pipelines

/// A pipeline's domain (Odoo's prefix notation, as written in YAML) as the client's domain tree.
enum DomainConversion {
    static func convert(_ terms: [DomainTerm], pipeline: String) throws -> OdooDomain {
        var position = 0
        var parts: [OdooDomain] = []
        while position < terms.count { parts.append(try parse(terms, &position, pipeline)) }
        switch parts.count {
        case 0: return .all
        case 1: return parts[0]
        default: return .and(parts) // Odoo ANDs top-level terms implicitly.
        }
    }

    private static func parse(_ terms: [DomainTerm], _ position: inout Int, _ pipeline: String) throws -> OdooDomain {
        guard position < terms.count else {
            throw SyncError.unsupportedDomain(pipeline: pipeline, detail: "an operator is missing its operands")
        }
        let term = terms[position]
        position += 1
        switch term {
        case .logical(.not): return .not(try parse(terms, &position, pipeline))
        case .logical(.and): return .and([try parse(terms, &position, pipeline), try parse(terms, &position, pipeline)])
        case .logical(.or): return .or([try parse(terms, &position, pipeline), try parse(terms, &position, pipeline)])
        case .condition(let field, let op, let value):
            return .leaf(field, OdooDomain.Operator(op), try convert(value, pipeline))
        }
    }

    private static func convert(_ value: DomainValue, _ pipeline: String) throws -> OdooDomain.Value {
        switch value {
        case .bool(let v): return .bool(v)
        case .int(let v): return .int(v)
        case .double(let v): return .float(v)
        case .string(let v): return .string(v)
        case .list(let values):
            let ints = values.compactMap { if case .int(let v) = $0 { return v } else { return nil } }
            if ints.count == values.count { return .ints(ints) }
            let strings = values.compactMap { if case .string(let v) = $0 { return v } else { return nil } }
            if strings.count == values.count { return .strings(strings) }
            throw SyncError.unsupportedDomain(pipeline: pipeline, detail: "a list mixes value types")
        }
    }
}
