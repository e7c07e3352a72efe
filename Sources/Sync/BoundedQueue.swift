import Foundation

/// A blocking FIFO of at most `capacity` items between one producer thread and one consumer
/// thread. `close` ends it (with an optional error the consumer sees after the queued items).
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private var failure: Error?
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Blocks while full; returns false when the queue was closed (the consumer gave up).
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Blocks while empty; nil when closed and drained. Throws the producer's error after the items before it.
    func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if !items.isEmpty {
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// True once either side closed it: a producer checks before starting costly work nobody will take.
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    func close(error: Error? = nil) {
        condition.lock()
        if !closed {
            closed = true
            failure = error
        }
        condition.broadcast()
        condition.unlock()
    }
}
