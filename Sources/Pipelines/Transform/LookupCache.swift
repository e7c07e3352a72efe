import ETLModel

/// Related records already read during one run of one pipeline, so each partner or tax is fetched
/// once per run rather than once per batch. Use one cache per `PipelinePlan` and run: plans ask for
/// different fields of the same model.
///
/// Bounded: past `capacity` records of a model, the older generation is dropped. Partners, taxes
/// and accounts stay cached for the whole run; a run over millions of records that each point to a
/// related record of their own (an expense to its report) keeps its memory flat instead of
/// holding every report it ever read.
public struct LookupCache: Sendable {
    /// Per generation: every partner, tax or account of most companies; a larger set is re-read
    /// once per generation at worst.
    public static let defaultCapacity = 20_000

    private let capacity: Int
    /// Two generations per model: records are stored into `current`; when it is full it becomes
    /// `previous` and the old `previous` is dropped. Lookups consult both.
    private var current: LookupResults = [:]
    private var previous: LookupResults = [:]
    /// Ids `read` did not return (deleted, or hidden by access rules): not asked for again.
    private var absent: [String: Set<Int64>] = [:]

    public init(capacity: Int = LookupCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// The related records `records` need for `requests`, keyed by model as
    /// `PipelinePlan.transform` takes them; `read(request, ids)` fetches those not cached yet
    /// (ascending ids). Everything the batch needs is taken before the cache drops anything.
    public mutating func resolve(
        _ requests: [LookupRequest], for records: [OdooRecord],
        read: (LookupRequest, [Int64]) throws -> [OdooRecord]
    ) rethrows -> LookupResults {
        var results: LookupResults = [:]
        for request in requests {
            let model = request.model
            var found = results[model] ?? [:]
            var missing: [Int64] = []
            for id in request.relatedIDs(in: records) {
                if let record = cached(model, id) {
                    found[id] = record
                } else if absent[model]?.contains(id) != true {
                    missing.append(id)
                }
            }
            if !missing.isEmpty {
                let answer = try read(request, missing)
                for record in answer { found[record.id] = record }
                store(answer, model: model, requested: missing)
            }
            results[model] = found
        }
        return results
    }

    /// How many records of `model` are held (both generations), for tests of the bound.
    public func cachedCount(_ model: String) -> Int {
        (current[model]?.count ?? 0) + (previous[model]?.count ?? 0)
    }

    private func cached(_ model: String, _ id: Int64) -> OdooRecord? {
        current[model]?[id] ?? previous[model]?[id]
    }

    private mutating func store(_ answer: [OdooRecord], model: String, requested: [Int64]) {
        if (current[model]?.count ?? 0) + answer.count > capacity {
            previous[model] = current.removeValue(forKey: model)
            absent[model] = nil
        }
        // Mutated in place (no copy of the model's whole dictionary per batch).
        for record in answer { current[model, default: [:]][record.id] = record }
        let returned = Set(answer.map(\.id))
        let vanished = requested.filter { !returned.contains($0) }
        if !vanished.isEmpty { absent[model, default: []].formUnion(vanished) }
    }
}
