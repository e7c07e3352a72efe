import Foundation
import HTTP

/// Where an Odoo server is and who logs in. The password (or API key) never appears in
/// `description`, `debugDescription` or a reflection of the value (`dump`, `Mirror`).
public struct OdooConnectionSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The server's base URL, e.g. `https://erp.example.com` (a trailing `/` is ignored); the
    /// XML-RPC endpoints `/xmlrpc/2/common` and `/xmlrpc/2/object` are appended to it.
    public var url: String
    public var database: String
    public var login: String
    /// The user's password or, better, an API key (Odoo accepts either in the same place).
    public var password: String
    /// Seconds allowed to establish the connection.
    public var connectTimeout: TimeInterval
    /// Seconds allowed for one whole call; a page of 5,000 records can take tens of seconds.
    public var requestTimeout: TimeInterval
    /// Verify the server's TLS certificate. Turn off only for a test server.
    public var verifyTLS: Bool
    /// A PEM file of CA certificates to trust instead of the system bundle.
    public var caFile: String?

    public init(
        url: String, database: String, login: String, password: String,
        connectTimeout: TimeInterval = 10, requestTimeout: TimeInterval = 300,
        verifyTLS: Bool = true, caFile: String? = nil
    ) {
        self.url = url
        self.database = database
        self.login = login
        self.password = password
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.verifyTLS = verifyTLS
        self.caFile = caFile
    }

    /// The base URL without a trailing slash.
    var baseURL: String {
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// The base URL as messages show it: credentials and secret parameters masked.
    public var redactedServerURL: String { redactedURL(baseURL) }

    func endpoint(_ service: OdooService) -> String {
        "\(baseURL)/xmlrpc/2/\(service.rawValue)"
    }

    var httpConfiguration: HTTPClient.Configuration {
        HTTPClient.Configuration(
            connectTimeout: connectTimeout, totalTimeout: requestTimeout,
            verifyTLS: verifyTLS, caFile: caFile, userAgent: "odoo-etl (libcurl)")
    }

    public var description: String {
        "Odoo \(redactedServerURL) database \(database) as \(login)"
    }

    /// `text` with the password masked wherever it appears. Passwords shorter than three
    /// characters are left alone: masking every such fragment would garble the text and hide nothing.
    func withoutPassword(_ text: String) -> String {
        guard password.count >= 3 else { return text }
        return text.replacingOccurrences(of: password, with: redactionMask)
    }

    public var debugDescription: String {
        "OdooConnectionSettings(url: \(redactedServerURL), database: \(database), login: \(login), password: \(redactionMask))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "url": redactedServerURL, "database": database, "login": login, "password": redactionMask,
                "connectTimeout": connectTimeout, "requestTimeout": requestTimeout, "verifyTLS": verifyTLS,
                "caFile": caFile as Any,
            ], displayStyle: .struct)
    }
}

/// The two XML-RPC services the client talks to.
enum OdooService: String, Sendable {
    case common
    case object
}
