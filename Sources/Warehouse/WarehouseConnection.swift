import Foundation
import Postgres

/// Opens warehouse sessions, refusing Supabase's transaction pooler up front.
public enum WarehouseConnection {
    /// Connects to the warehouse. A transaction-pooler URL (port 6543 or `pgbouncer=true`) is
    /// refused with a message saying which connection to use instead.
    public static func open(_ url: String, options: PostgresConnection.Options = .init()) throws -> PostgresConnection {
        if let endpoint = transactionPoolerEndpoint(url) { throw WarehouseError.transactionPooler(endpoint: endpoint) }
        return try PostgresConnection(url, options: options)
    }

    /// `host:port` when `url` points at a transaction pooler, else nil. Never returns credentials.
    public static func transactionPoolerEndpoint(_ url: String) -> String? {
        if let components = URLComponents(string: url), components.scheme?.hasPrefix("postgres") == true {
            let pgbouncer = components.queryItems?.contains { $0.name == "pgbouncer" && $0.value == "true" } ?? false
            if components.port == 6543 || pgbouncer {
                return "\(components.host ?? "?"):\(components.port.map(String.init) ?? "5432")"
            }
            return nil
        }
        // libpq keyword form: host=… port=6543
        let pairs = url.split(separator: " ").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
        let values = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        if values["port"] == "6543" { return "\(values["host"] ?? "?"):6543" }
        return nil
    }
}
