import Foundation
import Postgres
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway PostgreSQL server: `initdb` into the scratch directory, its own free loopback port,
/// durability off (nothing here needs to survive a crash). PostgreSQL refuses to run as root, so
/// when odoo-etl runs as root the server runs as the `postgres` system user.
struct DemoPostgres {
    let port: Int
    /// e.g. `15.8`
    let version: String
    /// The postmaster's pid, to tell whether the server is gone.
    let pid: Int32

    /// Starts the server, registers its shutdown with `scratch`, and guards it against this
    /// process being killed.
    static func start(in scratch: DemoScratch) throws -> DemoPostgres {
        let bin = try binaries()
        let asRoot = getuid() == 0
        let home = scratch.path("postgres")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        if asRoot { try giveToPostgresUser(home) }
        let data = home + "/data"
        // The tools' output goes to a file of ours; the server writes its own log as its own user.
        let toolLog = scratch.path("postgres-setup.log")
        let serverLog = home + "/server.log"
        let runAsServer: (String, [String]) throws -> Void = { tool, arguments in
            if asRoot {
                try ChildProcess.run(runuser, ["-u", "postgres", "--", tool] + arguments, log: toolLog)
            } else {
                try ChildProcess.run(tool, arguments, log: toolLog)
            }
        }
        try runAsServer(bin + "/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                                          "--no-sync", "--no-instructions"])
        let stop = "\(bin)/pg_ctl -D \(DemoScratch.shellQuoted(data)) -m immediate -w stop >/dev/null 2>&1"
        let stopCommand = asRoot ? "\(runuser) -u postgres -- \(stop)" : stop
        try scratch.guardAgainstKill(command: stopCommand)
        scratch.onTeardown { _ = try? ChildProcess.run("/bin/sh", ["-c", stopCommand], log: "/dev/null") }
        let port = try FreePort.pick()
        let settings = "-p \(port) -k \(home) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
            "-c full_page_writes=off -c max_connections=50"
        try runAsServer(bin + "/pg_ctl", ["-D", data, "-o", settings, "-l", serverLog, "-w", "-t", "60", "start"])
        let pidLine = (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first
        let connection = try PostgresConnection("postgres://postgres@127.0.0.1:\(port)/postgres")
        let version = try connection.query("SHOW server_version").first?.string("server_version") ?? "?"
        return DemoPostgres(port: port, version: version.split(separator: " ").first.map(String.init) ?? version,
                            pid: pidLine.flatMap { Int32($0) } ?? 0)
    }

    /// Creates a database and returns its URL.
    func createDatabase(_ name: String) throws -> String {
        let connection = try PostgresConnection("postgres://postgres@127.0.0.1:\(port)/postgres")
        _ = try connection.execute(script: "CREATE DATABASE \(PostgresConnection.quoteIdentifier(name))")
        return "postgres://postgres@127.0.0.1:\(port)/\(name)"
    }

    private static let runuser = "/usr/sbin/runuser"

    /// The newest server under /usr/lib/postgresql/<version>/bin (Debian's layout).
    private static func binaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw DemoError.postgresMissing
    }

    private static func giveToPostgresUser(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: runuser), let user = getpwnam("postgres") else {
            throw DemoError.postgresUserMissing
        }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw DemoError.scratchDirectory(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
