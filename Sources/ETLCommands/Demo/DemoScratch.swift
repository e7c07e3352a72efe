import Foundation
import LocalServers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demo's temporary directory and everything started in it, torn down exactly once: when the
/// demo ends, when it fails, or at exit after a second Ctrl-C. If odoo-etl itself is killed
/// (SIGKILL) nothing in-process can run, so a watchdog shell stops PostgreSQL and removes the
/// directory once this process is gone; the simulator exits on its own when its parent goes.
final class DemoScratch: @unchecked Sendable {
    let directory: URL
    private let lock = NSLock()
    private var steps: [() -> Void] = []
    private var watchdog: pid_t?

    /// The scratch directory of the running demo, for the exit handler.
    nonisolated(unsafe) private static var current: DemoScratch?

    private init(directory: URL) {
        self.directory = directory
    }

    /// Creates a fresh `odoo-etl-demo-…` directory (mkdtemp) in the temporary directory, readable by the `postgres` user
    /// (which runs the server when odoo-etl runs as root).
    static func create() throws -> DemoScratch {
        // mkdtemp replaces the six trailing placeholder characters.
        let placeholder = String(repeating: "X", count: 6)
        let template = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("odoo-etl-demo-" + placeholder).path
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw DemoError.localServers(.directory(path: template, reason: String(cString: strerror(errno))))
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        let scratch = DemoScratch(directory: URL(fileURLWithPath: path))
        scratch.onTeardown { try? FileManager.default.removeItem(atPath: path) }
        current = scratch
        atexit { DemoScratch.current?.tearDown() }
        return scratch
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Adds a step to the teardown; steps run in reverse order of registration.
    func onTeardown(_ step: @escaping () -> Void) {
        lock.lock()
        steps.append(step)
        lock.unlock()
    }

    /// Starts (or replaces) the watchdog that runs `command` and removes the directory if this
    /// process dies without tearing down.
    func guardAgainstKill(command: String) throws {
        lock.lock()
        defer { lock.unlock() }
        if let previous = watchdog { Watchdog.end(previous) }
        watchdog = try Watchdog.start(cleanup: "\(command); rm -rf \(Shell.quoted(directory.path))", newProcessGroup: true)
    }

    /// Runs every step once, newest first. A second caller (the exit handler racing the normal
    /// path) waits for the first to finish and then finds nothing left to do.
    func tearDown() {
        lock.lock()
        defer { lock.unlock() }
        let pending = steps.reversed()
        steps.removeAll()
        pending.forEach { $0() }
        if let watchdog { Watchdog.end(watchdog) }
        watchdog = nil
    }
}
