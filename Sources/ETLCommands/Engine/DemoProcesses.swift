import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's child processes, started with posix_spawn. Foundation's `Process` is not used:
/// `pg_ctl start` leaves a daemon behind that inherits the descriptors `Process` waits on, and the
/// servers must sit in their own process group so that Ctrl-C reaches only odoo-etl, which then
/// stops them in order.
enum ChildProcess {
    /// Runs `tool` to completion with its output in `log`; throws `DemoError.commandFailed` (with
    /// the end of the output) on a non-zero exit.
    static func run(_ tool: String, _ arguments: [String], log: String) throws {
        let pid = try spawn(tool, arguments, output: log, newProcessGroup: false)
        let status = waitForExit(pid)
        guard status == 0 else {
            throw DemoError.commandFailed(command: ([tool] + arguments).joined(separator: " "), status: status,
                                          output: tail(of: log))
        }
    }

    /// Starts `tool` with stdin from /dev/null and stdout + stderr appended to `output` (or
    /// /dev/null), optionally in a process group of its own, and returns its pid.
    static func spawn(_ tool: String, _ arguments: [String], output: String?, newProcessGroup: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A child inherits the signal mask of the spawning thread (concurrency-pool threads block
        // signals) and ignored signals (odoo-etl ignores SIGINT/SIGTERM to handle them itself):
        // without a reset, a server would never see the SIGTERM that asks it to stop.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, tool, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw DemoError.commandFailed(command: tool, status: -1, output: String(cString: strerror(result)))
        }
        return pid
    }

    /// The exit status of a finished child (128 + signal when a signal ended it).
    static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return exitCode(status)
    }

    /// The exit status if the child has ended (and reaps it), nil while it runs.
    static func exitStatusIfEnded(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid ? exitCode(status) : nil
    }

    /// SIGTERM, then SIGKILL if the child has not ended after `grace` seconds; always reaps it.
    static func stop(_ pid: pid_t, grace: TimeInterval) {
        guard exitStatusIfEnded(pid) == nil else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            if exitStatusIfEnded(pid) != nil { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        _ = waitForExit(pid)
    }

    /// The last lines of a log file, for error messages.
    static func tail(of path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// A loopback TCP port nobody listens on right now.
enum FreePort {
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DemoError.noFreePort }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw DemoError.noFreePort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
