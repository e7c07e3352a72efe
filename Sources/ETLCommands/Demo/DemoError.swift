import LocalServers

/// Why the demo could not run or stopped. Whatever the cause, the throwaway servers and the
/// scratch directory are gone by the time this is printed.
enum DemoError: UserFacingError, Equatable {
    /// PostgreSQL, the simulator or the scratch directory could not be set up.
    case localServers(LocalServersError)
    /// A sync step ended with failed units (their messages were printed with the summary).
    case syncFailed(step: String, failedUnits: Int)
    /// The simulator's data did not offer what the demo changes (e.g. no submitted expense report).
    case nothingToChange(String)
    case interrupted

    var exitStatus: ExitStatus { .failure }

    var summary: String {
        switch self {
        case .localServers(.postgresMissing):
            return "the demo needs the PostgreSQL server programs, and there are none under /usr/lib/postgresql/*/bin"
        case .localServers(.postgresUserMissing):
            return "odoo-etl runs as root, and PostgreSQL refuses to; there is no 'postgres' system user (or no runuser) to run it as"
        case .localServers(.directory(let path, let reason)):
            return "could not prepare the demo's temporary directory \(path): \(reason)"
        case .localServers(.noFreePort):
            return "could not find a free loopback port for the demo's PostgreSQL"
        case .localServers(.commandFailed(let command, let status, _)):
            return "'\(command)' failed with status \(status)"
        case .localServers(.simulatorMissing(let path)):
            return "the bundled Odoo simulator is not at \(path)"
        case .localServers(.simulatorExited(let status, _)):
            return "the Odoo simulator exited with status \(status) before it was ready"
        case .localServers(.simulatorTimedOut(let seconds, _)):
            return "the Odoo simulator did not report READY within \(seconds) s"
        case .syncFailed(let step, let failedUnits):
            return "\(step): \(failedUnits) unit(s) failed (see the messages above)"
        case .nothingToChange(let what):
            return "the simulator's data has \(what), so the demo has nothing to change"
        case .interrupted:
            return "interrupted (Ctrl-C or SIGTERM) before the demo finished"
        }
    }

    var details: [String] {
        switch self {
        case .localServers(.commandFailed(_, _, let output)), .localServers(.simulatorExited(_, let output)),
            .localServers(.simulatorTimedOut(_, let output)):
            return output.isEmpty ? [] : output.split(separator: "\n").map(String.init)
        default:
            return []
        }
    }

    var hint: String {
        switch self {
        case .localServers(.postgresMissing), .localServers(.postgresUserMissing):
            return "install PostgreSQL 15 (apt-get install -y postgresql-15, or run .ci/run as root), then run make demo again"
        case .localServers(.directory), .localServers(.noFreePort):
            return "check that the temporary directory (TMPDIR) is writable and the machine is not out of ports, then try again"
        case .localServers(.commandFailed):
            return "the lines above are the command's own output; fix what it reports and run make demo again"
        case .localServers(.simulatorMissing):
            return "run the demo from the top of a checkout of odoo-etl (make demo), where simulator/ lives"
        case .localServers(.simulatorExited), .localServers(.simulatorTimedOut):
            return "the simulator needs Python 3.11 or newer as python3 (apt-get install -y python3); its output is above"
        case .syncFailed, .nothingToChange:
            return "this is a bug in odoo-etl or its simulator: please report it with the output above"
        case .interrupted:
            return "nothing to clean up: the demo's PostgreSQL and simulator were stopped and their files removed"
        }
    }

    /// Runs `body`, turning a `LocalServersError` into the demo's message for it.
    static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LocalServersError {
            throw DemoError.localServers(error)
        }
    }
}
