/// Why a local server or child process could not be started. The demo turns each case into its
/// own user-facing message; tests print `description`.
public enum LocalServersError: Error, Equatable, CustomStringConvertible {
    /// No `initdb` under /usr/lib/postgresql/*/bin.
    case postgresMissing
    /// Running as root, PostgreSQL must run as `postgres`, and there is no such user (or no runuser).
    case postgresUserMissing
    case directory(path: String, reason: String)
    case noFreePort
    /// `output` is the end of the command's log (or why it could not be started).
    case commandFailed(command: String, status: Int32, output: String)
    case simulatorMissing(path: String)
    /// `output` is the end of the simulator's log.
    case simulatorExited(status: Int32, output: String)
    case simulatorTimedOut(seconds: Int, output: String)

    public var description: String {
        switch self {
        case .postgresMissing:
            return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; install postgresql-15 (apt-get install -y postgresql-15)"
        case .postgresUserMissing:
            return "running as root, and there is no 'postgres' system user (or no runuser) to run PostgreSQL as"
        case .directory(let path, let reason):
            return "could not prepare \(path): \(reason)"
        case .noFreePort:
            return "could not bind a free loopback port"
        case .commandFailed(let command, let status, let output):
            return "'\(command)' failed with status \(status)" + (output.isEmpty ? "" : ":\n\(output)")
        case .simulatorMissing(let path):
            return "the Odoo simulator script is missing at \(path)"
        case .simulatorExited(let status, let output):
            return "the Odoo simulator exited with status \(status) before it was ready" + (output.isEmpty ? "" : ":\n\(output)")
        case .simulatorTimedOut(let seconds, let output):
            return "the Odoo simulator did not report READY within \(seconds) s" + (output.isEmpty ? "" : ":\n\(output)")
        }
    }
}
