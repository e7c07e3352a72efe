import Foundation
import Postgres

/// Applies `warehouse/NNNN_name.sql` files in order, each in its own transaction, recorded in
/// `etl.schema_migrations`. Concurrent runners serialise on an advisory lock.
public struct MigrationRunner {
    public struct Migration: Equatable {
        public let version: Int
        public let name: String
        public let file: String
        public let sql: String
    }

    public struct Report: Equatable {
        public var applied: [String] = []
        public var pending: [String] = []
        public var drifted: [String] = []
        public var upToDate: Bool { pending.isEmpty && drifted.isEmpty }
    }

    /// The advisory lock key all migration runners share ("odoo-etl migrate").
    static let lockKey: Int64 = 0x6F64_6F6F_6D69_6772

    public let directory: URL
    public let lockTimeoutSeconds: Double

    public init(directory: URL, lockTimeoutSeconds: Double = 300) {
        self.directory = directory
        self.lockTimeoutSeconds = lockTimeoutSeconds
    }

    /// The migration files, ordered by version. Only top-level `*.sql` files count.
    public func migrations() throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try names.map { file in
            let stem = file.dropLast(4)
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]) else {
                throw WarehouseError.badMigrationName(file: file)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(parts[1]), file: file, sql: sql)
        }
    }

    /// Applies what is pending. Throws on drift before applying anything.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> Report {
        try withLock(connection) {
            try ensureLedger(connection)
            var report = try status(connection)
            guard report.drifted.isEmpty else { throw try driftError(connection, report.drifted[0]) }
            let pending = Set(report.pending)
            for migration in try migrations() where pending.contains(migration.file) {
                do {
                    try connection.withTransaction {
                        try connection.execute(script: migration.sql)
                        try connection.query(
                            """
                            INSERT INTO etl.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)
                            """, [migration.version, migration.name, try checksum(connection, migration.sql)])
                    }
                } catch let error as PostgresError {
                    throw WarehouseError.migrationFailed(file: migration.file, underlying: error)
                }
                report.applied.append(migration.file)
            }
            report.pending = []
            return report
        }
    }

    /// What `migrate` would do, without applying anything.
    public func status(_ connection: PostgresConnection) throws -> Report {
        let ledgerExists =
            try connection.query("SELECT to_regclass('etl.schema_migrations') IS NOT NULL AS present").first?.bool("present") ?? false
        let applied = ledgerExists ? try connection.query("SELECT version, checksum FROM etl.schema_migrations").rows : []
        var appliedChecksums: [Int64: String] = [:]
        for row in applied { appliedChecksums[try row.int("version") ?? -1] = try row.string("checksum") ?? "" }
        var report = Report()
        for migration in try migrations() {
            guard let stored = appliedChecksums[Int64(migration.version)] else {
                report.pending.append(migration.file)
                continue
            }
            if stored != (try checksum(connection, migration.sql)) { report.drifted.append(migration.file) }
        }
        return report
    }

    private func driftError(_ connection: PostgresConnection, _ file: String) throws -> WarehouseError {
        let migration = try migrations().first { $0.file == file }!
        let stored =
            try connection.query("SELECT checksum FROM etl.schema_migrations WHERE version = $1", [migration.version])
            .first?.string("checksum") ?? ""
        return .migrationDrift(file: file, applied: stored, current: try checksum(connection, migration.sql))
    }

    private func ensureLedger(_ connection: PostgresConnection) throws {
        try connection.execute(
            script: """
                CREATE SCHEMA IF NOT EXISTS etl;
                CREATE TABLE IF NOT EXISTS etl.schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """)
    }

    /// SHA-256 of the file's bytes, computed by the server so no crypto library is needed.
    private func checksum(_ connection: PostgresConnection, _ sql: String) throws -> String {
        try connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS sum", [sql]).first?.string("sum") ?? ""
    }

    private func withLock<T>(_ connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        guard try connection.advisoryLock(Self.lockKey, timeoutSeconds: lockTimeoutSeconds) else {
            throw WarehouseError.migrationLockTimeout(seconds: lockTimeoutSeconds)
        }
        defer { _ = try? connection.advisoryUnlock(Self.lockKey) }
        return try body()
    }
}
