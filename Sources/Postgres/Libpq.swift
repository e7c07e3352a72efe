import CLibpq
import Foundation

/// The only file that talks to libpq. Every call that can fail goes through `check(_:statement:expecting:)`,
/// which turns a result status into a `PostgresError`.
///
/// All calls here block the calling thread; callers keep them off the Swift concurrency pool.
final class LibpqConnection {
    private let conn: OpaquePointer

    /// Opens a connection from libpq keyword/value pairs. A `dbname` holding a URL or a
    /// `key=value` string is expanded by libpq (`expand_dbname`).
    init(parameters: [(String, String)]) throws {
        let keys = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let raw: OpaquePointer? = keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectdbParams(kp, vp, 1)
                    }
                }
            }
        }
        guard let raw else {
            throw PostgresError(kind: .connectFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(raw) == CONNECTION_OK else {
            let connectionString = parameters.first { $0.0 == "dbname" }?.1 ?? ""
            let message = ConnectionStringSecrets.scrub(
                LibpqConnection.trimmed(PQerrorMessage(raw)),
                connectionString: connectionString)
            PQfinish(raw)
            throw PostgresError(kind: .connectFailed, message: message)
        }
        conn = raw
        // Server notices (e.g. "schema already exists, skipping") would otherwise go to stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { PQfinish(conn) }

    var isAlive: Bool { PQstatus(conn) == CONNECTION_OK }
    var serverVersion: Int { Int(PQserverVersion(conn)) }
    var backendPID: Int32 { PQbackendPID(conn) }
    var host: String { PQhost(conn).map { String(cString: $0) } ?? "" }
    var port: String { PQport(conn).map { String(cString: $0) } ?? "" }
    var database: String { PQdb(conn).map { String(cString: $0) } ?? "" }
    var user: String { PQuser(conn).map { String(cString: $0) } ?? "" }
    var inTransaction: Bool {
        let status = PQtransactionStatus(conn)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one or more statements with the simple protocol (used for migrations and session setup).
    func exec(_ sql: String) throws -> PostgresResult {
        let result = try check(PQexec(conn, sql), statement: sql, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY])
        defer { PQclear(result) }
        return LibpqConnection.extract(result)
    }

    /// Runs one statement with text-format bind parameters (`$1`, `$2`, …).
    func exec(_ sql: String, parameters: [String?]) throws -> PostgresResult {
        let cStrings = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { cStrings.forEach { free($0) } }
        let raw: OpaquePointer? = cStrings.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                    PQexecParams(conn, sql, Int32(buffer.count), nil, values, nil, nil, 0)
                }
            } ?? PQexecParams(conn, sql, 0, nil, nil, nil, nil, 0)
        }
        let result = try check(raw, statement: sql, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY])
        defer { PQclear(result) }
        return LibpqConnection.extract(result)
    }

    func beginCopyIn(_ sql: String) throws {
        let result = try check(PQexec(conn, sql), statement: sql, expecting: [PGRES_COPY_IN])
        PQclear(result)
    }

    func putCopyData(_ bytes: UnsafeRawBufferPointer, statement: String) throws {
        guard bytes.count > 0 else { return }
        let status = PQputCopyData(conn, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        if status != 1 { throw connectionError(statement: statement) }
    }

    /// Ends a COPY FROM STDIN. With `abortMessage` the server aborts the COPY (and so the statement).
    /// Returns the number of rows copied.
    @discardableResult
    func endCopyIn(abortMessage: String?, statement: String) throws -> Int {
        let status: Int32 = abortMessage.map { PQputCopyEnd(conn, $0) } ?? PQputCopyEnd(conn, nil)
        if status != 1 { throw connectionError(statement: statement) }
        var rows = 0
        var failure: PostgresError?
        while let result = PQgetResult(conn) {
            // `check` clears a failed result itself; a good one is cleared here.
            do {
                let done = try check(result, statement: statement, expecting: [PGRES_COMMAND_OK])
                rows = Int(String(cString: PQcmdTuples(done))) ?? 0
                PQclear(done)
            } catch let error as PostgresError {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return rows
    }

    /// Streams `COPY … TO STDOUT`: each chunk is one data row in the COPY format.
    func copyOut(_ sql: String, chunk: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let start = try check(PQexec(conn, sql), statement: sql, expecting: [PGRES_COPY_OUT])
        PQclear(start)
        var callbackError: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(conn, &buffer, 0)
            if length > 0, let buffer {
                if callbackError == nil {
                    do { try chunk(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch { callbackError = error }
                }
                PQfreemem(buffer)
                continue
            }
            if length == -2 { throw connectionError(statement: sql) }
            break
        }
        var rows = 0
        var failure: PostgresError?
        while let result = PQgetResult(conn) {
            do {
                let done = try check(result, statement: sql, expecting: [PGRES_COMMAND_OK])
                rows = Int(String(cString: PQcmdTuples(done))) ?? 0
                PQclear(done)
            } catch let error as PostgresError {
                failure = failure ?? error
            }
        }
        if let callbackError { throw callbackError }
        if let failure { throw failure }
        return rows
    }

    // MARK: - Checking

    private func check(_ result: OpaquePointer?, statement: String, expecting: [ExecStatusType]) throws -> OpaquePointer {
        guard let result else { throw connectionError(statement: statement) }
        let status = PQresultStatus(result)
        if expecting.contains(status) { return result }
        defer { PQclear(result) }
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        let message = field("M") ?? LibpqConnection.trimmed(PQresultErrorMessage(result))
        let lost = PQstatus(conn) != CONNECTION_OK
        if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || lost {
            return try raise(
                PostgresError(
                    kind: lost ? .connectionLost : .server, sqlState: sqlState,
                    message: message.isEmpty ? "connection to the server was lost" : message,
                    detail: field("D"), hint: field("H"), statement: statement))
        }
        return try raise(
            PostgresError(
                kind: .client, message: "unexpected result status \(String(cString: PQresStatus(status)))",
                statement: statement))
    }

    private func raise(_ error: PostgresError) throws -> OpaquePointer { throw error }

    private func connectionError(statement: String) -> PostgresError {
        let message = LibpqConnection.trimmed(PQerrorMessage(conn))
        let lost = PQstatus(conn) != CONNECTION_OK
        return PostgresError(
            kind: lost ? .connectionLost : .client,
            message: message.isEmpty ? "connection to the server was lost" : message, statement: statement)
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func extract(_ result: OpaquePointer) -> PostgresResult {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let names = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row: [String?] = []
            row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    row.append(nil)
                } else {
                    row.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
            rows.append(row)
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresResult(columns: names, values: rows, affectedRows: affected)
    }
}
