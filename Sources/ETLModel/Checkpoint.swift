/// How far an incremental extraction got: every record whose `write_date` lies before `second`,
/// and those of `second` itself whose id is at most `id`, have been delivered.
///
/// `second` is always a whole second, because Odoo sends `write_date` in whole seconds.
public struct Checkpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let second: OdooDateTime
    public let id: Int64

    /// `second` is truncated to its whole second.
    public init(second: OdooDateTime, id: Int64) {
        self.second = second.wholeSecond
        self.id = id
    }

    /// Nothing delivered yet: a first run starts here (1970-01-01 00:00:00, id 0).
    public static let beginning = Checkpoint(second: OdooDateTime(seconds: 0), id: 0)

    /// Where a run restarts with a lookback window: `(second - seconds, 0)`, which re-reads the
    /// last `seconds` to catch rows committed late by long transactions (their `write_date` is
    /// their transaction's start). A lookback of 0 keeps the checkpoint as it is.
    public func lookingBack(seconds: Int64) -> Checkpoint {
        guard seconds > 0 else { return self }
        return Checkpoint(second: second.adding(seconds: -seconds), id: 0)
    }

    public static func < (a: Checkpoint, b: Checkpoint) -> Bool {
        (a.second, a.id) < (b.second, b.id)
    }

    public var description: String { "(\(second), id \(id))" }
}

/// Records delivered by a reader (`OdooRPC`'s `IncrementalReader`, `OdooSQL`'s `SQLSourceReader`), with the checkpoint that is safe to store once
/// these records (and all earlier batches) are committed. The checkpoint never gets ahead of the
/// delivered records.
public struct OdooBatch: Hashable, Sendable {
    public let records: [OdooRecord]
    public let checkpoint: Checkpoint
    /// The reader's query that produced it, counted from 1 (queries that delivered nothing count too).
    public let queryNumber: Int

    public init(records: [OdooRecord], checkpoint: Checkpoint, queryNumber: Int) {
        self.records = records
        self.checkpoint = checkpoint
        self.queryNumber = queryNumber
    }
}
