import ETLModel
import XMLRPC

extension OdooField {
    /// The fields of a `fields_get` answer (attributes `type`, `string`, `relation`, `store`), keyed by name.
    public static func fields(fromFieldsGet answer: XMLRPCValue) throws -> [String: OdooField] {
        guard case .struct(let members) = answer else {
            throw OdooDecodingError("fields_get answered \(answer.typeName), not a struct of fields")
        }
        var fields: [String: OdooField] = [:]
        for member in members {
            guard case .struct(let attributes) = member.value else { continue }
            let relation = attributes["relation"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            fields[member.name] = OdooField(
                name: member.name,
                typeName: attributes["type"]?.stringValue ?? "",
                label: attributes["string"]?.stringValue ?? "",
                relation: relation,
                // Odoo omits `store` for nothing it lists, but a field without it is read as stored.
                stored: attributes["store"]?.boolValue ?? true,
                companyDependent: attributes["company_dependent"]?.boolValue ?? false,
                // `[precision, scale]` (Odoo 19: `[precision, minimum, scale]`), or False.
                decimalDigits: attributes["digits"]?.arrayValue?.last?.intValue.map(Int.init)
            )
        }
        return fields
    }
}
