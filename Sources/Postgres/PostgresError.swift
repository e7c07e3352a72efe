import Foundation

/// An error from PostgreSQL or libpq, with the server's SQLSTATE and fields.
///
/// `description` names the statement (never bind values) and never a password: connection
/// strings are not part of any message.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server answered a statement with an error (SQLSTATE set).
        case server
        /// The connection could not be established.
        case connectFailed
        /// The connection broke (server restart, `pg_terminate_backend`, network).
        case connectionLost
        /// A protocol-level misuse detected on our side (e.g. unexpected result status).
        case client
        /// A value cannot be sent as asked (e.g. a NUL byte in COPY text).
        case invalidValue
    }

    public let kind: Kind
    /// Five-character SQLSTATE, e.g. `23505`; nil when libpq did not get one from the server.
    public let sqlState: String?
    public let message: String
    public let detail: String?
    public let hint: String?
    /// The SQL text that failed (bind values are never included).
    public let statement: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil, statement: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.statement = statement
    }

    /// Transient: worth retrying the whole transaction on a fresh connection.
    /// Serialization failure, deadlock, admin shutdown / crash recovery, connection exceptions.
    public var isRetryable: Bool {
        switch kind {
        case .connectionLost: return true
        case .connectFailed: return true
        case .client, .invalidValue: return false
        case .server:
            guard let state = sqlState else { return false }
            return ["40001", "40P01", "57P01", "57P02", "57P03"].contains(state) || state.hasPrefix("08")
        }
    }

    public var description: String {
        var text = "PostgreSQL"
        if let sqlState { text += " \(sqlState)" }
        text += ": " + message
        if let detail, !detail.isEmpty { text += "\n  detail: " + detail }
        if let hint, !hint.isEmpty { text += "\n  hint: " + hint }
        if let statement {
            let flat = statement.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            text += "\n  statement: " + (flat.count > 200 ? String(flat.prefix(200)) + "…" : flat)
        }
        return text
    }
}
