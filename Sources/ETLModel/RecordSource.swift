/// Where a unit's records come from: batches with their checkpoints, the related records its
/// lookups need, and an estimate for progress. Both sources take the same
/// `ExtractionRequest` and give the same records and checkpoint semantics, so the
/// transformers, the loader and the stored checkpoints do not depend on the choice. Used only on
/// the unit's extraction thread.
public protocol RecordSource: AnyObject {
    /// Records this run will read, for the ETA; nil when the count failed.
    func expectedRecords() -> Int?
    /// The next batch, or nil when the run is complete.
    func next() throws -> OdooBatch?
    /// A lookup's related records, as `read` answers.
    func read(model: String, ids: [Int64], fields: [String]) throws -> [OdooRecord]
}
