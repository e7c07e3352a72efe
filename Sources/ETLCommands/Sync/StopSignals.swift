import ETLModel
import Foundation

/// SIGINT/SIGTERM for the whole process: the first signal asks every unit to stop after the batch
/// in flight (which commits or rolls back whole); a second one exits at once. Signals belong to
/// the process, so this is the one process-wide flag; the engine only reads the flag it is handed
/// in its options.
enum StopSignals {
    static let flag = CancellationFlag()
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let lock = NSLock()

    /// Installs the handlers once and returns the flag they set.
    @discardableResult
    static func install() -> CancellationFlag {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return flag }
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                // The shell's convention for death by signal: 130 for SIGINT, 143 for SIGTERM.
                // Nothing is lost: the transaction in flight dies with the connection and rolls back.
                if flag.isRequested { exit(128 + signo) }
                flag.request()
                FileHandle.standardError.write(Data("odoo-etl: stopping after the batch in flight (signal again to stop now)\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
        return flag
    }
}
