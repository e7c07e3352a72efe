import XMLRPC

/// What `common.version()` reports, e.g. `18.0-20250506` with info `[18, 0, 0, "final", 0, ""]`.
public struct OdooServerVersion: Hashable, Sendable, CustomStringConvertible {
    /// `server_version`, e.g. `18.0-20250506` or `19.0`.
    public let serverVersion: String
    /// `server_version_info` as sent: `[18, 0, 0, "final", 0, ""]`.
    public let serverVersionInfo: [XMLRPCValue]
    /// `server_serie`, e.g. `18.0`, when sent.
    public let serverSerie: String?
    /// The major version: 18 for `18.0`, 17 for `saas~17.4` (whose info starts with `"saas~17"`).
    public let major: Int?
    public let minor: Int?
    public let protocolVersion: Int?

    public init(serverVersion: String, serverVersionInfo: [XMLRPCValue], serverSerie: String? = nil, protocolVersion: Int? = nil) {
        self.serverVersion = serverVersion
        self.serverVersionInfo = serverVersionInfo
        self.serverSerie = serverSerie
        self.protocolVersion = protocolVersion
        major = serverVersionInfo.first.flatMap(OdooServerVersion.number)
        minor = serverVersionInfo.count > 1 ? OdooServerVersion.number(serverVersionInfo[1]) : nil
    }

    init(_ answer: XMLRPCValue) throws {
        guard case .struct(let members) = answer, let version = members["server_version"]?.stringValue else {
            throw OdooRecordDecoder.DecodingProblem("version answered \(answer.typeName) without server_version")
        }
        self.init(serverVersion: version, serverVersionInfo: members["server_version_info"]?.arrayValue ?? [],
                  serverSerie: members["server_serie"]?.stringValue,
                  protocolVersion: members["protocol_version"]?.intValue.map { Int($0) })
    }

    public var description: String { serverVersion }

    private static func number(_ value: XMLRPCValue) -> Int? {
        switch value {
        case .int(let number): return Int(number)
        case .string(let text): return Int(text.drop(while: { !$0.isNumber }).prefix(while: \.isNumber))
        default: return nil
        }
    }
}

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

    static func groups(from answer: XMLRPCValue, fields: [String: OdooField]) throws -> [OdooGroup] {
        guard case .array(let elements) = answer else {
            throw OdooRecordDecoder.DecodingProblem("read_group answered \(answer.typeName), not a list of groups")
        }
        let decoder = OdooRecordDecoder(fields: fields)
        return try elements.map { element in
            guard case .struct(let members) = element else {
                throw OdooRecordDecoder.DecodingProblem("read_group answered a \(element.typeName) among the groups")
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
