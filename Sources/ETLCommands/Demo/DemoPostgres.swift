import Foundation
import LocalServers
import Postgres

/// The demo's throwaway PostgreSQL server, in the scratch directory, stopped by the scratch's
/// teardown (or its watchdog, if odoo-etl is killed).
struct DemoPostgres {
    let port: Int
    /// e.g. `15.8`
    let version: String
    /// The postmaster's pid, to tell whether the server is gone.
    let pid: Int32
    private let server: ThrowawayPostgres

    /// Starts the server, registers its shutdown with `scratch`, and guards it against this
    /// process being killed; the guard is in place before the server starts.
    static func start(in scratch: DemoScratch) throws -> DemoPostgres {
        try DemoError.translating {
            let server = try ThrowawayPostgres(
                directory: scratch.path("postgres"), configuration: .init(maxConnections: 50),
                toolLog: scratch.path("postgres-setup.log"))
            let stopCommand = server.stopCommand
            try scratch.guardAgainstKill(command: stopCommand)
            scratch.onTeardown { _ = try? ChildProcess.run("/bin/sh", ["-c", stopCommand], log: "/dev/null") }
            try server.start()
            let connection = try PostgresConnection(server.serverURL + "/postgres")
            let version = try connection.query("SHOW server_version").first?.string("server_version") ?? "?"
            return DemoPostgres(
                port: server.port, version: version.split(separator: " ").first.map(String.init) ?? version,
                pid: server.postmasterPID ?? 0, server: server)
        }
    }

    /// Creates a database and returns its URL.
    func createDatabase(_ name: String) throws -> String {
        try server.createDatabase(name)
    }
}
