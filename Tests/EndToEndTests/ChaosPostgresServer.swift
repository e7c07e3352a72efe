import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server of its own for the scenarios that restart it or count its connections,
/// which the shared `PostgresHarness` server must not suffer. It logs every authorized
/// connection, so the engine's reconnections can be counted from the server's side.
final class ChaosPostgresServer {
    let port: Int
    let serverURL: String
    private let directory: URL
    private let binaries: String
    private let asRoot = getuid() == 0
    private var stopped = false

    init() throws {
        binaries = try Self.findBinaries()
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("odoo-etl-chaos-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        serverURL = "postgres://postgres@127.0.0.1:\(port)"
        if asRoot { try Self.spawn("/bin/chown", ["-R", "postgres:postgres", directory.path], wait: true) }
        try postgresTool("initdb", ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                                    "--no-sync", "--no-instructions"])
        try postgresTool("pg_ctl", ["-D", dataDirectory, "-o", settings, "-l", logPath, "-w", "-t", "60", "start"])
        // A killed test process never reaches deinit: a watchdog shell stops the server then.
        let stop = "\(binaries)/pg_ctl -D \(dataDirectory) -m immediate stop >/dev/null 2>&1"
        let cleanup = (asRoot ? "runuser -u postgres -- \(stop)" : stop) + "; rm -rf \(directory.path)"
        try Self.spawn("/bin/sh", ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(cleanup)"], wait: false)
    }

    deinit {
        stop()
    }

    private var dataDirectory: String { directory.appendingPathComponent("data").path }
    private var logPath: String { directory.appendingPathComponent("server.log").path }
    private var settings: String {
        "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
            "-c full_page_writes=off -c max_connections=100 -c log_connections=on"
    }

    func createDatabase(_ name: String) throws -> String {
        let admin = try WarehouseInspector(url: serverURL + "/postgres")
        try admin.execute("CREATE DATABASE \(name)")
        return serverURL + "/" + name
    }

    /// `pg_ctl restart -m fast`: every session is terminated (SQLSTATE 57P01), the server is down
    /// for a moment, then accepts connections again.
    func restartFast() throws {
        try postgresTool("pg_ctl", ["-D", dataDirectory, "-o", settings, "-l", logPath, "-m", "fast", "-w", "-t", "60", "restart"])
    }

    /// `pg_ctl stop -m fast`, no server at all for `downSeconds` (connections refused), then a start.
    func bounce(downSeconds: Double) throws {
        try postgresTool("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
        Thread.sleep(forTimeInterval: downSeconds)
        try postgresTool("pg_ctl", ["-D", dataDirectory, "-o", settings, "-l", logPath, "-w", "-t", "60", "start"])
    }

    /// Connections the server authorized to `database` under exactly this application name.
    func authorizedConnections(database: String, applicationName: String) throws -> Int {
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        return log.split(separator: "\n").filter {
            $0.contains("connection authorized:") && $0.contains("database=\(database) ")
                && $0.hasSuffix("application_name=\(applicationName)")
        }.count
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        try? postgresTool("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Processes

    private func postgresTool(_ tool: String, _ arguments: [String]) throws {
        let path = "\(binaries)/\(tool)"
        if asRoot {
            try Self.spawn("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments, wait: true)
        } else {
            try Self.spawn(path, arguments, wait: true)
        }
    }

    /// posix_spawn rather than `Process`: `pg_ctl start` leaves a daemon holding inherited
    /// descriptors that Foundation would wait on. Output goes to a file shown on failure.
    private static func spawn(_ tool: String, _ arguments: [String], wait: Bool) throws {
        let output = NSTemporaryDirectory() + "odoo-etl-chaos-\(getpid())-\(UUID().uuidString.prefix(8)).log"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, wait ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard spawned == 0 else { throw HarnessError("could not start \(tool): errno \(spawned)") }
        guard wait else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw HarnessError("\(tool) \(arguments.joined(separator: " ")) failed (\(exitCode)): \(text)")
        }
    }

    private static func findBinaries() throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.compactMap(Int.init).sorted(by: >) ?? []
        for version in versions where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/pg_ctl") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        throw HarnessError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; install postgresql-15 (apt-get install -y postgresql-15)")
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw HarnessError("could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
