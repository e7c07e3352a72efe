import Foundation

/// A request to stop after the batch in flight, set by whoever owns the process's signals and read
/// by the units between batches. Passed in the run's options, so the engine never reads a
/// process-wide singleton and a test can stop one run without touching another.
public final class CancellationFlag: @unchecked Sendable {
    // One bit guarded by a lock: @unchecked because NSLock is not Sendable-annotated on Linux.
    private let lock = NSLock()
    private var requested = false

    public init() {}

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
}
