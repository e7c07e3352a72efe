import Foundation
import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PostgreSQL server of its own in a directory: `initdb`, then `pg_ctl` on a free loopback port
/// with durability off (nothing here needs to survive a crash). PostgreSQL refuses to run as root,
/// so when this process runs as root the server runs as the `postgres` system user.
///
/// Cleanup is the owner's: the demo tears down its scratch directory, tests stop the server at
/// exit. `stopCommand` serves the cleanups that run as shell commands (watchdogs, exit handlers).
public final class ThrowawayPostgres: @unchecked Sendable {
    /// The settings that differ between owners: a test run opens many more sessions than the demo.
    public struct Configuration: Sendable {
        public var maxConnections: Int
        /// e.g. `256MB`; nil keeps PostgreSQL's default.
        public var sharedBuffers: String?
        /// Logs every authorized connection, so that reconnections can be counted from the server's side.
        public var logConnections: Bool

        public init(maxConnections: Int, sharedBuffers: String? = nil, logConnections: Bool = false) {
            self.maxConnections = maxConnections
            self.sharedBuffers = sharedBuffers
            self.logConnections = logConnections
        }
    }

    public enum ShutdownMode: String, Sendable {
        /// Waits for nothing but rolls back every session (SQLSTATE 57P01 to the clients).
        case fast
        /// Kills the server's processes: the quickest way to throw it away.
        case immediate
    }

    /// Holds `data/`, `server.log` and the Unix socket.
    public let directory: String
    public let port: Int
    /// `postgres://postgres@127.0.0.1:PORT` (no database part).
    public let serverURL: String
    /// e.g. `/usr/lib/postgresql/15/bin`
    public let binaries: String
    public let configuration: Configuration
    private let toolLog: String
    private let asRoot = getuid() == 0

    /// Creates `directory` (given to the `postgres` user when running as root), picks a port and
    /// runs `initdb`; the server is not started yet, so that the owner can arrange its cleanup
    /// before there is anything to clean up. The tools' output is appended to `toolLog`.
    public init(directory: String, configuration: Configuration, toolLog: String) throws {
        binaries = try Self.findBinaries()
        self.directory = directory
        self.configuration = configuration
        self.toolLog = toolLog
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LocalServersError.directory(path: directory, reason: error.localizedDescription)
        }
        if asRoot { try Self.giveToPostgresUser(directory) }
        port = try FreePort.pick()
        serverURL = "postgres://postgres@127.0.0.1:\(port)"
        try tool(
            "initdb",
            [
                "-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                "--no-sync", "--no-instructions",
            ])
    }

    public var dataDirectory: String { directory + "/data" }
    /// The server's own log, written as the server's user.
    public var serverLog: String { directory + "/server.log" }

    /// A shell command that stops the server at once, as the user it runs as.
    public var stopCommand: String {
        let stop = "\(binaries)/pg_ctl -D \(Shell.quoted(dataDirectory)) -m immediate -w stop >/dev/null 2>&1"
        return asRoot ? "\(Self.runuser) -u postgres -- \(stop)" : stop
    }

    /// The postmaster's pid while the server runs, to tell whether it is gone.
    public var postmasterPID: Int32? {
        let firstLine = (try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first
        return firstLine.flatMap { Int32($0) }
    }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        try tool("pg_ctl", ["-D", dataDirectory, "-o", settings, "-l", serverLog, "-w", "-t", "60", "start"])
    }

    /// Stops and starts the server; every session is terminated on the way.
    public func restart(_ mode: ShutdownMode) throws {
        try tool("pg_ctl", ["-D", dataDirectory, "-o", settings, "-l", serverLog, "-m", mode.rawValue, "-w", "-t", "60", "restart"])
    }

    public func stop(_ mode: ShutdownMode) throws {
        try tool("pg_ctl", ["-D", dataDirectory, "-m", mode.rawValue, "-w", "-t", "60", "stop"])
    }

    /// Creates a database and returns its URL.
    public func createDatabase(_ name: String) throws -> String {
        let connection = try PostgresConnection(serverURL + "/postgres")
        _ = try connection.execute(script: "CREATE DATABASE \(PostgresConnection.quoteIdentifier(name))")
        return serverURL + "/" + name
    }

    private var settings: String {
        var settings =
            "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            + "-c full_page_writes=off -c max_connections=\(configuration.maxConnections)"
        if let sharedBuffers = configuration.sharedBuffers { settings += " -c shared_buffers=\(sharedBuffers)" }
        if configuration.logConnections { settings += " -c log_connections=on" }
        return settings
    }

    private func tool(_ name: String, _ arguments: [String]) throws {
        let path = "\(binaries)/\(name)"
        if asRoot {
            try ChildProcess.run(Self.runuser, ["-u", "postgres", "--", path] + arguments, log: toolLog)
        } else {
            try ChildProcess.run(path, arguments, log: toolLog)
        }
    }

    private static let runuser = "/usr/sbin/runuser"

    /// The newest server under /usr/lib/postgresql/<version>/bin (Debian's layout).
    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw LocalServersError.postgresMissing
    }

    private static func giveToPostgresUser(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: runuser), let user = getpwnam("postgres") else {
            throw LocalServersError.postgresUserMissing
        }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw LocalServersError.directory(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
