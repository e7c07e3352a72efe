import Foundation
import LocalServers
import Postgres

/// A real PostgreSQL server for the test run: `initdb` into a temporary directory (as the
/// `postgres` system user when the tests run as root), its own free port, stopped and removed when
/// the test process exits. Each test asks for a fresh database.
///
/// `ODOO_ETL_TEST_PG_URL` (a superuser URL without database) points the tests at an existing server instead.
public final class PostgresHarness: @unchecked Sendable {
    public static let shared: PostgresHarness = {
        do {
            return try PostgresHarness()
        } catch {
            fatalError("could not start the test PostgreSQL: \(error)")
        }
    }()

    /// `postgres://postgres@127.0.0.1:PORT` (no database part).
    public let serverURL: String
    public let port: Int
    private let binDirectory: String
    private let lock = NSLock()
    private var counter = 0

    private init() throws {
        if let url = ProcessInfo.processInfo.environment["ODOO_ETL_TEST_PG_URL"], !url.isEmpty {
            serverURL = url
            port = URLComponents(string: url)?.port ?? 5432
            binDirectory = ""
            return
        }
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "odoo-etl-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        let server = try ThrowawayPostgres(
            directory: directory, configuration: .init(maxConnections: 200, sharedBuffers: "256MB"),
            toolLog: directory + "/tools.log")
        try server.start()
        binDirectory = server.binaries
        port = server.port
        serverURL = server.serverURL
        let cleanup = server.stopCommand + "; rm -rf " + Shell.quoted(directory)
        PostgresHarness.atExitCommands.append(cleanup)
        atexit { PostgresHarness.runExitCommands() }
        // A crashed or killed test process never runs atexit: a watchdog shell stops the server then.
        _ = try Watchdog.start(cleanup: cleanup, newProcessGroup: false)
    }

    /// Creates an empty database and returns its URL.
    public func createDatabase(prefix: String = "t") throws -> String {
        lock.lock()
        counter += 1
        let name = "\(prefix)_\(getpid())_\(counter)_\(UInt16.random(in: 0...UInt16.max))"
        lock.unlock()
        let admin = try PostgresConnection(serverURL + "/postgres")
        try admin.execute(script: "CREATE DATABASE \(PostgresConnection.quoteIdentifier(name))")
        return serverURL + "/" + name
    }

    /// A connection to a fresh database.
    public func connectToNewDatabase() throws -> (url: String, connection: PostgresConnection) {
        let url = try createDatabase()
        return (url, try PostgresConnection(url))
    }

    /// Runs `psql` against `url`, e.g. for reference benchmarks and out-of-band checks.
    public var psqlPath: String {
        binDirectory.isEmpty ? "psql" : "\(binDirectory)/psql"
    }

    // MARK: - Exit

    nonisolated(unsafe) private static var atExitCommands: [String] = []

    private static func runExitCommands() {
        for command in atExitCommands {
            try? ChildProcess.run("/bin/sh", ["-c", command], log: "/dev/null")
        }
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
