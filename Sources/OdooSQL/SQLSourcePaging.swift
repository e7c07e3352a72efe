import ETLModel

/// Where a row stands in the SQL source's order: its stored `write_date`, to the microsecond, then its id.
struct SQLSourceKey: Hashable, Comparable, Sendable {
    let writeDate: OdooDateTime
    let id: Int64

    /// The whole second of `write_date`, the unit XML-RPC checkpoints count in.
    var second: Int64 { writeDate.seconds }

    static func < (a: SQLSourceKey, b: SQLSourceKey) -> Bool { (a.writeDate, a.id) < (b.writeDate, b.id) }
}

/// The decisions of SQL paging that make its checkpoints mean what the XML-RPC reader's mean.
///
/// An `Checkpoint` `(S, i)` promises: every record of a second before S was delivered, and
/// those of second S with id ≤ i. Rows here come in `(write_date, id)` order with microseconds,
/// so inside one second ids are not ascending, and a checkpoint after an arbitrary row would
/// over-promise. Three rules keep the promise:
///
/// 1. A full window of keys keeps only the seconds it proves complete: the rows of its last
///    second are listed again by the next window (unless the whole window is that one second).
/// 2. Pages and batches end at a second boundary when one lies inside them.
/// 3. A batch that must end inside second S promises ids below the smallest id of S still
///    undelivered; a batch that ends at the end of S promises the largest id delivered in S.
enum SQLSourcePaging {
    /// How many keys of a window listed with `LIMIT limit` to keep, and whether the last kept
    /// second may continue past the window (only when the window is one second, larger than it).
    static func kept(_ keys: [SQLSourceKey], limit: Int) -> (count: Int, lastSecondContinues: Bool) {
        guard keys.count >= limit, let last = keys.last else { return (keys.count, false) }
        var first = keys.count - 1
        while first > 0 && keys[first - 1].second == last.second { first -= 1 }
        return first > 0 ? (first, false) : (keys.count, true)
    }

    /// The end (exclusive) of the page or batch that starts at `start`: at most `limit` rows, cut
    /// back to the last second boundary inside it when the limit falls inside a second.
    static func batchEnd(_ keys: [SQLSourceKey], from start: Int, limit: Int) -> Int {
        let end = min(start + max(1, limit), keys.count)
        guard end < keys.count, keys[end].second == keys[end - 1].second else { return end }
        var boundary = end - 1
        while boundary > start && keys[boundary - 1].second == keys[boundary].second { boundary -= 1 }
        return boundary > start ? boundary : end
    }

    /// What the reader remembers of the second its last batch ended in.
    struct Carried: Hashable, Sendable {
        let second: Int64
        let maxDeliveredID: Int64
    }

    /// The checkpoint of the batch `keys[start..<end]`.
    /// - Parameters:
    ///   - beyondPage: the smallest id of the window's last second among rows after the window,
    ///     when that second continues past it (`kept(...).lastSecondContinues`); nil otherwise.
    ///   - carried: what earlier batches delivered of the second they ended in.
    static func checkpoint(
        _ keys: [SQLSourceKey], start: Int, end: Int, beyondPage: Int64?,
        carried: Carried?
    ) -> (checkpoint: Checkpoint, carried: Carried) {
        let second = keys[end - 1].second
        var maxDelivered = carried?.second == second ? carried!.maxDeliveredID : Int64.min
        for key in keys[start..<end] where key.second == second { maxDelivered = max(maxDelivered, key.id) }
        var minUndelivered: Int64?
        var index = end
        while index < keys.count, keys[index].second == second {
            minUndelivered = min(minUndelivered ?? keys[index].id, keys[index].id)
            index += 1
        }
        if index == keys.count, let beyondPage, keys.last?.second == second {
            minUndelivered = min(minUndelivered ?? beyondPage, beyondPage)
        }
        let id = minUndelivered.map { $0 - 1 } ?? maxDelivered
        return (Checkpoint(second: OdooDateTime(seconds: second), id: id), Carried(second: second, maxDeliveredID: maxDelivered))
    }
}
