import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bundled Odoo simulator (`simulator/simulator.py`, Python standard library only) as a child
/// process. It listens on a port of its own choosing and says which on a `READY port=N` line; it
/// exits on its own when its parent goes. Launching returns at once, so the caller can start other
/// servers while it seeds.
public struct SimulatorProcess: Sendable {
    public let pid: pid_t
    /// Its stdout and stderr, the READY line included.
    public let log: String

    /// Where the script lives in a checkout of odoo-etl.
    public static func script(repositoryRoot: URL) -> URL {
        repositoryRoot.appendingPathComponent("simulator/simulator.py")
    }

    /// Starts `python script --port 0 arguments…` with its output appended to `log`, in a process
    /// group of its own when Ctrl-C must reach only this process (which then stops it).
    public static func launch(
        script: URL, arguments: [String], log: String, python: String = "python3",
        newProcessGroup: Bool
    ) throws -> SimulatorProcess {
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw LocalServersError.simulatorMissing(path: script.path)
        }
        let pid = try ChildProcess.spawn(
            "/usr/bin/env", [python, script.path, "--port", "0"] + arguments,
            output: log, newProcessGroup: newProcessGroup)
        return SimulatorProcess(pid: pid, log: log)
    }

    /// Waits for the READY line and returns the port; throws with the end of the log if the
    /// simulator exits first or stays silent for `timeout` seconds (it is left running then).
    public func waitUntilReady(timeout: TimeInterval) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("READY port=") }),
                let port = Int(line.dropFirst("READY port=".count))
            {
                return port
            }
            if let status = ChildProcess.exitStatusIfEnded(pid) {
                throw LocalServersError.simulatorExited(status: status, output: ChildProcess.tail(of: log))
            }
            usleep(50_000)
        }
        throw LocalServersError.simulatorTimedOut(seconds: Int(timeout), output: ChildProcess.tail(of: log))
    }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    public func stop(grace: TimeInterval = 5) {
        ChildProcess.stop(pid, grace: grace)
    }
}
