import ETLModel

/// What `fields_get` said about one model on the Odoo being synced.
public enum ModelFields: Hashable, Sendable {
    case available([String: OdooField])
    /// `fields_get` failed with "Object <model> doesn't exist" (XML-RPC fault 2, JSON-2 404): the
    /// module is not installed or this Odoo version removed the model (hr.expense.sheet on 19).
    case missing
}

/// Something the operator should know about a pipeline that still runs (or is skipped on purpose).
public struct ResolutionNotice: Hashable, Sendable, CustomStringConvertible {
    public let pipeline: String
    public let model: String
    /// The field concerned, nil for notices about the whole model.
    public let field: String?
    public let message: String

    public init(pipeline: String, model: String, field: String?, message: String) {
        self.pipeline = pipeline
        self.model = model
        self.field = field
        self.message = message
    }

    public var description: String { "pipeline '\(pipeline)': \(message)" }
}

/// A pipeline that cannot run against this Odoo, with every reason; nothing was read or written.
public struct PipelineResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pipeline: String
    public let sourcePath: String
    public let odooVersion: String
    public let problems: [String]

    public init(pipeline: String, sourcePath: String, odooVersion: String, problems: [String]) {
        self.pipeline = pipeline
        self.sourcePath = sourcePath
        self.odooVersion = odooVersion
        self.problems = problems
    }

    public var description: String {
        var text =
            "pipeline '\(pipeline)' (\(sourcePath)) cannot run against this Odoo \(odooVersion); "
            + "nothing was read or written for it:"
        for problem in problems { text += "\n  - " + problem }
        return text
    }
}

/// The outcome of checking a pipeline against one Odoo's `fields_get`.
public enum PipelineResolution: Sendable {
    /// Runnable; `plan.warnings` lists optional fields this Odoo lacks.
    case ready(PipelinePlan)
    /// Its model does not exist on this Odoo; not an error.
    case skipped(ResolutionNotice)
    case failed(PipelineResolutionError)
}

/// Related records for one batch, by related model, then by id: what the engine read for each
/// `LookupRequest`.
public typealias LookupResults = [String: [Int64: OdooRecord]]

/// One `read` the engine makes per batch: `fields` of `model` for the ids found in the batch's
/// `idsFrom` many2one fields.
public struct LookupRequest: Hashable, Sendable {
    public let model: String
    /// Fields this Odoo has, to pass to `read`.
    public let fields: [String]
    /// many2one fields of the pipeline's model whose ids select the records.
    public let idsFrom: [String]

    public init(model: String, fields: [String], idsFrom: [String]) {
        self.model = model
        self.fields = fields
        self.idsFrom = idsFrom
    }

    /// The distinct related ids referenced by `records`, ascending.
    public func relatedIDs(in records: [OdooRecord]) -> [Int64] {
        var ids: Set<Int64> = []
        for record in records {
            for field in idsFrom {
                if case .many2one(let id, _) = record[field] { ids.insert(id) }
            }
        }
        return ids.sorted()
    }
}
