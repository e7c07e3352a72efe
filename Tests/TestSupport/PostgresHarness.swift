import Foundation
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
    private let directory: URL?
    private let binDirectory: String
    private let lock = NSLock()
    private var counter = 0

    private init() throws {
        if let url = ProcessInfo.processInfo.environment["ODOO_ETL_TEST_PG_URL"], !url.isEmpty {
            serverURL = url
            port = URLComponents(string: url)?.port ?? 5432
            directory = nil
            binDirectory = ""
            return
        }
        binDirectory = try PostgresHarness.findBinaries()
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("odoo-etl-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        directory = dir
        port = try PostgresHarness.freePort()
        serverURL = "postgres://postgres@127.0.0.1:\(port)"
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["-R", "postgres:postgres", dir.path]) }
        let data = dir.appendingPathComponent("data").path
        try runAsPostgres(asRoot, "\(binDirectory)/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                                              "--locale=C", "--no-sync", "--no-instructions"])
        let settings = "-p \(port) -k \(dir.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB"
        try runAsPostgres(asRoot, "\(binDirectory)/pg_ctl", ["-D", data, "-o", settings, "-l", dir.appendingPathComponent("server.log").path,
                                                              "-w", "-t", "60", "start"])
        let stop = "\(binDirectory)/pg_ctl -D \(data) -m immediate stop >/dev/null 2>&1"
        PostgresHarness.atExitCommands.append((asRoot ? "runuser -u postgres -- \(stop)" : stop) + "; rm -rf \(dir.path)")
        atexit { PostgresHarness.runExitCommands() }
        // A crashed or killed test process never runs atexit: a watchdog shell stops the server then.
        let cleanup = PostgresHarness.atExitCommands.last!
        try spawnDetached("/bin/sh", ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(cleanup)"])
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

    // MARK: - Process plumbing

    nonisolated(unsafe) private static var atExitCommands: [String] = []

    private static func runExitCommands() {
        for command in atExitCommands {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", command]
            try? p.run()
            p.waitUntilExit()
        }
    }

    private static func findBinaries() throws -> String {
        let candidates = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" } ?? []
        for dir in candidates where FileManager.default.isExecutableFile(atPath: dir + "/initdb") { return dir }
        throw HarnessError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; install postgresql-15 (apt-get install -y postgresql-15)")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw HarnessError("could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func runAsPostgres(_ asRoot: Bool, _ tool: String, _ arguments: [String]) throws {
        if asRoot {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
        } else {
            try run(tool, arguments)
        }
    }

    private func spawnDetached(_ tool: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard spawned == 0 else { throw HarnessError("could not start \(tool): errno \(spawned)") }
    }

    /// Runs a tool to completion with posix_spawn + waitpid. Foundation's `Process` is not used
    /// here: `pg_ctl start` leaves a daemon that inherits descriptors Foundation waits on.
    private func run(_ tool: String, _ arguments: [String]) throws {
        let logPath = NSTemporaryDirectory() + "odoo-etl-harness-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { unlink(logPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard spawned == 0 else { throw HarnessError("could not start \(tool): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw HarnessError("\(tool) \(arguments.joined(separator: " ")) failed (\(exitCode)): \(text)")
        }
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
