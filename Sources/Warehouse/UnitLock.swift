import ETLModel
import Postgres

/// A session advisory lock per (pipeline, company), so an overlapping cron run and a manual
/// backfill never interleave on one unit. Needs a session connection (not the transaction pooler).
public struct UnitLock {
    let connection: PostgresConnection
    public let unit: SyncUnit

    public init(_ connection: PostgresConnection, unit: SyncUnit) {
        self.connection = connection
        self.unit = unit
    }

    /// A stable 64-bit key: FNV-1a of "odoo-etl", the pipeline and the company.
    public var key: Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "odoo-etl/\(unit.pipeline)/\(unit.companyId.map(String.init) ?? "global")".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }

    /// Takes the lock, waiting up to `waitSeconds` (0 = just try). False means another run holds it.
    public func acquire(waitSeconds: Double = 0) throws -> Bool {
        waitSeconds > 0 ? try connection.advisoryLock(key, timeoutSeconds: waitSeconds) : try connection.tryAdvisoryLock(key)
    }

    public func release() throws {
        try connection.advisoryUnlock(key)
    }
}
