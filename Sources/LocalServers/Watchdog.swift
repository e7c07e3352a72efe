#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shell that outlives this process: when this process is gone without cleaning up (SIGKILL,
/// a crash), nothing in-process can run, so the watchdog runs the cleanup command instead.
public enum Watchdog {
    /// Starts the watchdog and returns its pid, which `end` takes once the owner has cleaned up
    /// itself. `newProcessGroup` keeps a terminal's Ctrl-C from killing the watchdog too.
    public static func start(cleanup command: String, newProcessGroup: Bool) throws -> pid_t {
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(command)"
        return try ChildProcess.spawn("/bin/sh", ["-c", script], output: nil, newProcessGroup: newProcessGroup)
    }

    /// Ends a watchdog whose cleanup is no longer needed.
    public static func end(_ pid: pid_t) {
        kill(pid, SIGKILL)
        _ = ChildProcess.waitForExit(pid)
    }
}
