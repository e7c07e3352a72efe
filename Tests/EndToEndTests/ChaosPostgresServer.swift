import Foundation
import LocalServers
import TestSupport

/// A PostgreSQL server of its own for the scenarios that restart it or count its connections,
/// which the shared `PostgresHarness` server must not suffer. It logs every authorized
/// connection, so the engine's reconnections can be counted from the server's side.
final class ChaosPostgresServer {
    let port: Int
    let serverURL: String
    private let server: ThrowawayPostgres
    private var stopped = false

    init() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "odoo-etl-chaos-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        ).path
        server = try ThrowawayPostgres(
            directory: directory, configuration: .init(maxConnections: 100, logConnections: true),
            toolLog: directory + "/tools.log")
        try server.start()
        port = server.port
        serverURL = server.serverURL
        // A killed test process never reaches deinit: a watchdog shell stops the server then.
        _ = try Watchdog.start(cleanup: server.stopCommand + "; rm -rf " + Shell.quoted(directory), newProcessGroup: false)
    }

    deinit {
        stop()
    }

    func createDatabase(_ name: String) throws -> String {
        try server.createDatabase(name)
    }

    /// `pg_ctl restart -m fast`: every session is terminated (SQLSTATE 57P01), the server is down
    /// for a moment, then accepts connections again.
    func restartFast() throws {
        try server.restart(.fast)
    }

    /// `pg_ctl stop -m fast`, no server at all for `downSeconds` (connections refused), then a start.
    func bounce(downSeconds: Double) throws {
        try server.stop(.fast)
        Thread.sleep(forTimeInterval: downSeconds)
        try server.start()
    }

    /// Connections the server authorized to `database` under exactly this application name.
    func authorizedConnections(database: String, applicationName: String) throws -> Int {
        let log = try String(contentsOfFile: server.serverLog, encoding: .utf8)
        return log.split(separator: "\n").filter {
            $0.contains("connection authorized:") && $0.contains("database=\(database) ")
                && $0.hasSuffix("application_name=\(applicationName)")
        }.count
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        try? server.stop(.immediate)
        try? FileManager.default.removeItem(atPath: server.directory)
    }
}
