import Foundation

/// SIGINT/SIGTERM handling: the first signal asks every unit to stop after the batch in flight
/// (which commits or rolls back whole); a second one exits at once.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    /// Installs the handlers (idempotent).
    public func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                // The shell's convention for death by signal: 130 for SIGINT, 143 for SIGTERM.
                // Nothing is lost: the transaction in flight dies with the connection and rolls back.
                if self.isRequested { exit(128 + signo) }
                self.request()
                FileHandle.standardError.write(Data("odoo-etl: stopping after the batch in flight (signal again to stop now)\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }
}
