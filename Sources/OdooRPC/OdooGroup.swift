import ETLModel
import XMLRPC

/// One group of a `read_group`: its record count and the values of the group-by fields and
/// aggregates, typed by `fields_get` where the key is a field name.
public struct OdooGroup: Hashable, Sendable {
    public let count: Int64
    /// Keyed as Odoo keys them: `company_id`, `total_amount`, `date:month` ...
    public let values: [String: OdooValue]

    public init(count: Int64, values: [String: OdooValue]) {
        self.count = count
        self.values = values
    }

    public subscript(_ key: String) -> OdooValue { values[key] ?? .null }

    /// Members Odoo adds for its web client, not group values.
    private static let bookkeeping: Set<String> = ["__domain", "__context", "__range", "__fold", "__count", "__extra_domain"]

    /// The groups of a `read_group` answer, typed with the model's `fields_get`.
    public static func groups(from answer: XMLRPCValue, fields: [String: OdooField]) throws -> [OdooGroup] {
        guard case .array(let elements) = answer else {
            throw OdooDecodingError("read_group answered \(answer.typeName), not a list of groups")
        }
        let decoder = OdooRecordDecoder(fields: fields)
        return try elements.map { element in
            guard case .struct(let members) = element else {
                throw OdooDecodingError("read_group answered a \(element.typeName) among the groups")
            }
            // lazy=false counts in `__count`; lazy=true in `<first groupby>_count`.
            let countName = members["__count"] != nil ? "__count" : members.first(where: { $0.name.hasSuffix("_count") })?.name
            let countValue = countName.flatMap { members[$0] }
            var values: [String: OdooValue] = [:]
            for member in members where !bookkeeping.contains(member.name) && member.name != countName {
                values[member.name] = decoder.value(member.value, type: fields[member.name]?.type)
            }
            return OdooGroup(count: countValue.flatMap(OdooRecordDecoder.integer) ?? 0, values: values)
        }
    }
}
