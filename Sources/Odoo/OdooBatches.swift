import Foundation

extension IncrementalReader {
    /// The reader's batches as an async sequence, fetched on a dedicated thread (never on the
    /// Swift concurrency pool, which blocking HTTP would starve) at most `bufferSize` batches
    /// ahead of the consumer: with 1, the next batch is fetched while the consumer loads the
    /// current one; memory stays flat whatever the row count.
    ///
    /// Fetching starts at once. The reader (and its client) then belongs to that thread: do not
    /// use either from anywhere else. Iterate once. When the consuming task is cancelled or stops
    /// iterating, the thread ends after the query it is running, if any (bounded by the client's
    /// request timeout). An error ends the sequence and is thrown by the iterator.
    public func batches(bufferSize: Int = 2) -> OdooBatches {
        OdooBatches(reader: self, bufferSize: max(1, bufferSize))
    }
}

/// Batches of an `IncrementalReader`, produced on a dedicated thread with a bounded buffer.
public struct OdooBatches: AsyncSequence, Sendable {
    public typealias Element = OdooBatch

    private let stream: AsyncThrowingStream<OdooBatch, Error>
    private let producer: BatchProducer

    init(reader: IncrementalReader, bufferSize: Int) {
        let (stream, continuation) = AsyncThrowingStream<OdooBatch, Error>.makeStream()
        let producer = BatchProducer(reader: reader, bufferSize: bufferSize, continuation: continuation)
        continuation.onTermination = { _ in producer.cancel() }
        self.stream = stream
        self.producer = producer
        producer.start(name: "odoo-etl extract \(reader.configuration.model)")
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator(), producer: producer)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<OdooBatch, Error>.AsyncIterator
        let producer: BatchProducer

        public mutating func next() async throws -> OdooBatch? {
            let batch = try await base.next()
            // The consumer holds this batch now: its slot is free for the next fetch.
            if batch != nil { producer.batchTaken() }
            return batch
        }
    }
}

/// Runs the reader on its own thread. A slot is taken before each fetch and given back when the
/// consumer takes the batch, so at most `bufferSize` batches are fetched or waiting at any time.
///
/// The slots are a counter under an `NSCondition` rather than a `DispatchSemaphore`, because
/// libdispatch traps when a semaphore is released below its initial value, which is exactly
/// the state a cancelled producer leaves behind.
///
/// `@unchecked Sendable`: the reader is used only by the producer thread once `start` has run;
/// `freeSlots` and `cancelled` are guarded by `condition`; the continuation is thread-safe.
final class BatchProducer: @unchecked Sendable {
    private let reader: IncrementalReader
    private let continuation: AsyncThrowingStream<OdooBatch, Error>.Continuation
    private let condition = NSCondition()
    private var freeSlots: Int
    private var cancelled = false

    init(reader: IncrementalReader, bufferSize: Int, continuation: AsyncThrowingStream<OdooBatch, Error>.Continuation) {
        self.reader = reader
        self.freeSlots = bufferSize
        self.continuation = continuation
    }

    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func batchTaken() {
        condition.lock()
        freeSlots += 1
        condition.signal()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.signal()
        condition.unlock()
    }

    /// Waits for a free slot and takes it; false when the consumer has gone.
    private func takeSlot() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while freeSlots == 0 && !cancelled {
            condition.wait()
        }
        guard !cancelled else { return false }
        freeSlots -= 1
        return true
    }

    private func run() {
        while takeSlot() {
            do {
                guard let batch = try reader.next() else {
                    continuation.finish()
                    return
                }
                continuation.yield(batch)
            } catch {
                continuation.finish(throwing: error)
                return
            }
        }
    }
}
