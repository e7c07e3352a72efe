import ETLModel

/// Reads the records of one model changed since a checkpoint, in batches, by second buckets.
///
/// Odoo stores `write_date` to the microsecond, sends it in whole seconds and compares domains
/// against the stored value, so the textbook keyset `(write_date > w) or (write_date = w and
/// id > i)` re-reads second `w` forever. Instead, from checkpoint `(S, i)`:
///
/// 1. Finish second S by id: `write_date >= S`, `write_date < S+1s`, `id > i`, order `id asc`,
///    limit N. Deliver the page and advance i to its last id; repeat while pages are full.
/// 2. Jump ahead: `write_date >= S+1s`, order `write_date asc, id asc`, limit N. If the page is
///    full, let T be the second of its last row: the order proves every second before T
///    complete, so deliver the rows of those seconds, set the checkpoint to `(T, 0)` and go back
///    to step 1, which reads second T by id. If the page is not full, deliver all of it; the run
///    ends at `(T, largest id of second T)`.
///
/// Each record present when its bucket is read is delivered exactly once per run, however many
/// records share one second. A record written during the run moves to a newer second and may come
/// again later in the run (the loader dedupes). Every query also carries the configured domain,
/// `write_date < until` when an upper bound is set, and, for a company, `company_id = X` plus the
/// context `allowed_company_ids: [X]`; the context always has `active_test: False`.
///
/// A record written in the very second a run ends, after that second was read, with an id below
/// the final checkpoint's, is only picked up by a later run's lookback: give runs a lookback
/// window (or an `until` a few seconds in the past) as the engine does for late commits anyway.
///
/// Blocking and not thread-safe, like the `OdooClient` it uses. A `next()` that throws leaves the
/// reader where it was: calling it again repeats the failed query.
public final class IncrementalReader {
    private enum Step {
        case finishSecond
        case jumpAhead
        case finished
    }

    public let configuration: ExtractionRequest
    /// The position reached: the checkpoint of the last batch delivered, or the start.
    public private(set) var checkpoint: Checkpoint
    /// Queries sent so far.
    public private(set) var queryCount = 0
    /// Records delivered so far.
    public private(set) var deliveredCount = 0

    private let client: OdooClient
    private var step = Step.finishSecond
    private let pageSize: Int
    private let fields: [String]
    private let context: OdooContext

    public init(client: OdooClient, configuration: ExtractionRequest) {
        self.client = client
        self.configuration = configuration
        checkpoint = configuration.start
        pageSize = max(1, configuration.pageSize)
        fields = configuration.fieldsWithWriteDate
        context = configuration.scope.context
    }

    /// The next batch, or nil when the run is complete. A batch is never empty.
    public func next() throws -> OdooBatch? {
        while true {
            switch step {
            case .finished:
                return nil
            case .finishSecond:
                if let batch = try finishSecond() { return batch }
            case .jumpAhead:
                if let batch = try jumpAhead() { return batch }
            }
        }
    }

    /// Step 1: the rows of second S after id i.
    private func finishSecond() throws -> OdooBatch? {
        let second = checkpoint.second
        let bucket = OdooDomain.and([
            .leaf("write_date", .greaterOrEqual, .datetime(second)),
            .leaf("write_date", .less, .datetime(second.adding(seconds: 1))),
            .leaf("id", .greater, .int(checkpoint.id)),
        ])
        let rows = try query(bucket, order: "id asc")
        if rows.count < pageSize { step = .jumpAhead }
        guard let last = rows.last else { return nil }
        return deliver(rows, checkpoint: Checkpoint(second: second, id: last.id))
    }

    /// Step 2: the rows after second S, keeping the seconds the page proves complete.
    private func jumpAhead() throws -> OdooBatch? {
        let next = checkpoint.second.adding(seconds: 1)
        let rows = try query(.leaf("write_date", .greaterOrEqual, .datetime(next)), order: "write_date asc, id asc")
        guard let last = rows.last else {
            step = .finished
            return nil
        }
        let lastSecond = try writeSecond(of: last)
        guard lastSecond >= next else {
            throw client.error(
                .unexpectedResult("record \(last.id) has write_date \(lastSecond), before the \(next) the domain asked for"),
                model: configuration.scope.model, method: "search_read")
        }
        if rows.count < pageSize {
            step = .finished
            let lastID = try rows.filter { try writeSecond(of: $0) == lastSecond }.map(\.id).max() ?? last.id
            return deliver(rows, checkpoint: Checkpoint(second: lastSecond, id: lastID))
        }
        step = .finishSecond
        let complete = try rows.filter { try writeSecond(of: $0) < lastSecond }
        let moved = Checkpoint(second: lastSecond, id: 0)
        guard !complete.isEmpty else {
            // The whole page shares one second: step 1 reads it by id.
            checkpoint = moved
            return nil
        }
        return deliver(complete, checkpoint: moved)
    }

    private func deliver(_ records: [OdooRecord], checkpoint: Checkpoint) -> OdooBatch {
        self.checkpoint = checkpoint
        deliveredCount += records.count
        return OdooBatch(records: records, checkpoint: checkpoint, queryNumber: queryCount)
    }

    private func query(_ condition: OdooDomain, order: String) throws -> [OdooRecord] {
        var bounds = [condition]
        if let until = configuration.until {
            bounds.append(.leaf("write_date", .less, .datetime(until)))
        }
        queryCount += 1
        return try client.searchRead(
            model: configuration.scope.model, domain: configuration.scope.domain(and: bounds),
            fields: fields, order: order,
            limit: pageSize, context: context)
    }

    private func writeSecond(of record: OdooRecord) throws -> OdooDateTime {
        guard let writeDate = record.writeDate else {
            throw client.error(
                .unexpectedResult("record \(record.id) has no write_date; incremental reading needs it"),
                model: configuration.scope.model, method: "search_read")
        }
        return writeDate.wholeSecond
    }
}
