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
            throw OdooDecodingError("version answered \(answer.typeName) without server_version")
        }
        self.init(
            serverVersion: version, serverVersionInfo: members["server_version_info"]?.arrayValue ?? [],
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
