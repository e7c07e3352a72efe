import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Child processes started with posix_spawn. Foundation's `Process` is not used: `pg_ctl start`
/// leaves a daemon behind that inherits the descriptors `Process` waits on, and a server may need
/// a process group of its own so that Ctrl-C reaches only its parent, which then stops it in order.
public enum ChildProcess {
    /// Runs `tool` to completion with its output appended to `log`; throws
    /// `LocalServersError.commandFailed` (with the end of the log) on a non-zero exit.
    public static func run(_ tool: String, _ arguments: [String], log: String) throws {
        let pid = try spawn(tool, arguments, output: log, newProcessGroup: false)
        let status = waitForExit(pid)
        guard status == 0 else {
            throw LocalServersError.commandFailed(
                command: ([tool] + arguments).joined(separator: " "), status: status,
                output: tail(of: log))
        }
    }

    /// Starts `tool` with stdin from /dev/null and stdout + stderr appended to `output` (or
    /// /dev/null), optionally in a process group of its own, and returns its pid.
    public static func spawn(_ tool: String, _ arguments: [String], output: String?, newProcessGroup: Bool) throws -> pid_t {
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
            throw LocalServersError.commandFailed(command: tool, status: -1, output: String(cString: strerror(result)))
        }
        return pid
    }

    /// The exit status of a finished child (128 + signal when a signal ended it).
    public static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return exitCode(status)
    }

    /// The exit status if the child has ended (and reaps it), nil while it runs.
    public static func exitStatusIfEnded(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid ? exitCode(status) : nil
    }

    /// SIGTERM, then SIGKILL if the child has not ended after `grace` seconds; always reaps it.
    public static func stop(_ pid: pid_t, grace: TimeInterval) {
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
    public static func tail(of path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
