import Foundation

/// A blocking PostgreSQL session. Not thread-safe: one connection per worker. Every call blocks the
/// calling thread, so callers run it on a dedicated thread, never on the Swift concurrency pool.
public final class PostgresConnection {
    let handle: LibpqConnection

    public struct Options: Sendable {
        public var connectTimeoutSeconds: Int
        public var applicationName: String
        /// Upper bound for any one statement on the server; 0 disables it.
        public var statementTimeoutMilliseconds: Int

        public init(connectTimeoutSeconds: Int = 10, applicationName: String = "odoo-etl", statementTimeoutMilliseconds: Int = 0) {
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.applicationName = applicationName
            self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        }
    }

    /// Connects from a URL (`postgres://user:pass@host:port/db?sslmode=require`) or a libpq
    /// keyword string (`host=… port=… dbname=…`). The session runs in UTC.
    public init(_ connectionString: String, options: Options = Options()) throws {
        handle = try LibpqConnection(parameters: [
            ("dbname", connectionString),
            ("connect_timeout", String(options.connectTimeoutSeconds)),
            ("application_name", options.applicationName),
            ("client_encoding", "UTF8"),
        ])
        var setup = "SET TIME ZONE 'UTC'"
        if options.statementTimeoutMilliseconds > 0 { setup += "; SET statement_timeout = \(options.statementTimeoutMilliseconds)" }
        _ = try handle.exec(setup)
    }

    /// e.g. 150018 for PostgreSQL 15.18.
    public var serverVersion: Int { handle.serverVersion }
    public var backendPID: Int32 { handle.backendPID }
    /// Host, port, database and user, for diagnostics (no password).
    public var endpointDescription: String { "\(handle.user)@\(handle.host):\(handle.port)/\(handle.database)" }
    public var port: String { handle.port }
    public var host: String { handle.host }
    public var isAlive: Bool { handle.isAlive }

    /// One statement with bind parameters. Values never become part of the SQL text.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresBindable?] = []) throws -> PostgresResult {
        try handle.exec(sql, parameters: parameters.map { $0?.postgresText })
    }

    /// One or more statements without parameters (migrations, DDL, session settings).
    @discardableResult
    public func execute(script sql: String) throws -> PostgresResult {
        try handle.exec(sql)
    }

    /// Runs `body` inside BEGIN … COMMIT; any throw rolls back and is rethrown.
    public func withTransaction<T>(_ isolation: String? = nil, _ body: () throws -> T) throws -> T {
        _ = try handle.exec(isolation.map { "BEGIN ISOLATION LEVEL \($0)" } ?? "BEGIN")
        do {
            let value = try body()
            _ = try handle.exec("COMMIT")
            return value
        } catch {
            if handle.isAlive { _ = try? handle.exec("ROLLBACK") }
            throw error
        }
    }

    /// Runs `COPY … FROM STDIN` (text format) and hands `body` a writer. A throw inside `body` aborts
    /// the COPY on the server, so the target is left untouched, and is rethrown. Returns rows copied.
    @discardableResult
    public func copyIn(_ sql: String, columns: [String], _ body: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
        try handle.beginCopyIn(sql)
        var writer = PostgresCopyWriter(handle: handle, statement: sql, columns: columns)
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            if handle.isAlive { _ = try? handle.endCopyIn(abortMessage: "aborted by odoo-etl: \(error)", statement: sql) }
            throw error
        }
        return try handle.endCopyIn(abortMessage: nil, statement: sql)
    }

    /// Streams `COPY … TO STDOUT`; `row` gets each data row's raw bytes (text format, with the
    /// trailing newline). Returns the number of rows.
    @discardableResult
    public func copyOut(_ sql: String, row: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try handle.copyOut(sql, chunk: row)
    }

    // MARK: Advisory locks (session level)

    /// Takes the lock if free; false if another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws -> Bool {
        try query("SELECT pg_try_advisory_lock($1) AS ok", [key]).first?.bool("ok") ?? false
    }

    /// Waits up to `timeoutSeconds` for the lock; false when the time ran out.
    public func advisoryLock(_ key: Int64, timeoutSeconds: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var pause = 0.05
        while true {
            if try tryAdvisoryLock(key) { return true }
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: min(pause, max(0, deadline.timeIntervalSinceNow)))
            pause = min(pause * 2, 1)
        }
    }

    @discardableResult
    public func advisoryUnlock(_ key: Int64) throws -> Bool {
        try query("SELECT pg_advisory_unlock($1) AS ok", [key]).first?.bool("ok") ?? false
    }
}

extension PostgresConnection {
    /// Quotes an identifier (table, column) for the few places SQL names are built from
    /// configuration; values always go as bind parameters instead.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Quotes a possibly schema-qualified name: `warehouse.hr_expense` → `"warehouse"."hr_expense"`.
    public static func quoteQualified(_ name: String) -> String {
        name.split(separator: ".").map { quoteIdentifier(String($0)) }.joined(separator: ".")
    }
}
