import OdooModel

/// Related records already read during one run of one pipeline, so each partner or tax is fetched
/// once per run rather than once per batch. Use one cache per `PipelinePlan` and run: plans ask for
/// different fields of the same model.
public struct LookupCache: Sendable {
    private var records: LookupResults = [:]
    /// Ids `read` did not return (deleted, or hidden by access rules): not asked for again.
    private var absent: [String: Set<Int64>] = [:]

    public init() {}

    /// The ids of `request` that `records` reference and this run has not read yet, ascending.
    public func idsToRead(for request: LookupRequest, in records: [OdooRecord]) -> [Int64] {
        let known = self.records[request.model] ?? [:]
        let missing = absent[request.model] ?? []
        return request.relatedIDs(in: records).filter { known[$0] == nil && !missing.contains($0) }
    }

    /// Stores the answer of `read(requested, request.fields)`.
    public mutating func store(_ answer: [OdooRecord], model: String, requested: [Int64]) {
        var known = records[model] ?? [:]
        for record in answer { known[record.id] = record }
        records[model] = known
        let returned = Set(answer.map(\.id))
        absent[model, default: []].formUnion(requested.filter { !returned.contains($0) })
    }

    /// What `PipelinePlan.transform` needs for a batch whose missing ids have been stored.
    public func results(for requests: [LookupRequest]) -> LookupResults {
        var results: LookupResults = [:]
        for request in requests { results[request.model] = records[request.model] ?? [:] }
        return results
    }
}
