import ETLModel
import Foundation
import Pipelines

/// One pipeline run on fixed inputs: an Odoo's `fields_get` answers, sample records and lookups.
struct GoldenScenario {
    let golden: String
    let pipeline: String
    let odooVersion: String
    let models: [String: ModelFields]
    /// Wire records by where they come from (capture path or synthetic file).
    let recordSources: [(label: String, records: [[String: WireValue]])]
    let lookupSource: (label: String, lookups: [String: [[String: WireValue]]])?
    let notes: [String]

    init(
        golden: String, pipeline: String, odooVersion: String, models: [String: ModelFields],
        recordSources: [(label: String, records: [[String: WireValue]])],
        lookupSource: (label: String, lookups: [String: [[String: WireValue]]])? = nil, notes: [String] = []
    ) {
        self.golden = golden
        self.pipeline = pipeline
        self.odooVersion = odooVersion
        self.models = models
        self.recordSources = recordSources
        self.lookupSource = lookupSource
        self.notes = notes
    }

    struct Outcome {
        let text: String
        let plan: PipelinePlan?
        let batches: [RowBatch]
        let rawRecords: [[String: WireValue]]
    }

    struct Unexpected: Error, CustomStringConvertible {
        let description: String
    }

    func resolvedPlan(catalog: PipelineCatalog) throws -> PipelinePlan? {
        guard let definition = catalog.pipeline(named: pipeline) else { throw Unexpected(description: "no pipeline \(pipeline)") }
        if case .ready(let plan) = PipelineResolver.resolve(definition, models: models, odooVersion: odooVersion) {
            return plan
        }
        return nil
    }

    func run(catalog: PipelineCatalog) throws -> Outcome {
        guard let definition = catalog.pipeline(named: pipeline) else { throw Unexpected(description: "no pipeline \(pipeline)") }
        var header = ["# Golden rows of pipeline '\(pipeline)' on Odoo \(odooVersion); PipelinesTests compares them exactly."]
        header += recordSources.map { "# records: \($0.label)" }
        if let lookupSource { header.append("# lookups: \(lookupSource.label)") }
        header += notes.map { "# note: \($0)" }

        switch PipelineResolver.resolve(definition, models: models, odooVersion: odooVersion) {
        case .skipped(let notice):
            return Outcome(
                text: (header + ["", "notice: \(notice)"]).joined(separator: "\n"), plan: nil, batches: [],
                rawRecords: [])
        case .failed(let error):
            throw Unexpected(description: "\(error)")
        case .ready(let plan):
            guard case .available(let fields) = models[definition.model] else { throw Unexpected(description: "no fields") }
            let rawRecords = recordSources.flatMap(\.records)
            let records = try rawRecords.map { try OdooWireTyping.record($0, fields: fields) }
            let lookups = try typedLookups(plan)
            let batches = try plan.transform(records, lookups: lookups)
            var lines = header + [""]
            lines += plan.warnings.map { "warning: \($0)" }
            lines.append("read: \(plan.model) [\(plan.fieldsToRead.joined(separator: ", "))]")
            for request in plan.lookupRequests {
                lines.append(
                    "lookup: \(request.model) [\(request.fields.joined(separator: ", "))] ids from "
                        + "[\(request.idsFrom.joined(separator: ", "))]")
            }
            return Outcome(
                text: lines.joined(separator: "\n") + "\n" + GoldenRows.render(batches), plan: plan,
                batches: batches, rawRecords: rawRecords)
        }
    }

    /// Lookup records as the engine's `read` returns them: only the requested fields.
    private func typedLookups(_ plan: PipelinePlan) throws -> LookupResults {
        var results: LookupResults = [:]
        for request in plan.lookupRequests {
            guard case .available(let fields) = models[request.model] else { continue }
            var byID: [Int64: OdooRecord] = [:]
            for raw in lookupSource?.lookups[request.model] ?? [] {
                let kept = raw.filter { $0.key == "id" || request.fields.contains($0.key) }
                let record = try OdooWireTyping.record(kept, fields: fields)
                byID[record.id] = record
            }
            results[request.model] = byID
        }
        return results
    }
}
