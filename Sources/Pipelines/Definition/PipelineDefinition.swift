import ETLModel

/// A validated `pipelines/<name>.yaml`: what to pull from one Odoo model and where each value lands.
/// It is checked for internal consistency but not yet against an Odoo; `PipelineResolver` does that.
public struct PipelineDefinition: Hashable, Sendable {
    /// The file name without `.yaml`, e.g. `expenses`.
    public let name: String
    /// The file it came from, as given to the loader (used in every message about it).
    public let sourcePath: String
    /// The Odoo model read, e.g. `hr.expense`.
    public let model: String
    public let scope: PipelineScope
    /// Records per `search_read` page.
    public let batchSize: Int
    /// Whether the file set `batch_size`; otherwise the environment's `etl.batch_size` applies.
    public let declaresBatchSize: Bool
    /// Pipelines whose tables must be loaded before this one (facts after their dimensions).
    public let dependsOn: [String]
    /// Extra domain ANDed with the engine's own paging domain; `.all` for none.
    public let domain: OdooDomain
    /// Fields read from `model`, in file order; `id` is implicit.
    public let fields: [FieldRequirement]
    public let lookups: [LookupDefinition]
    public let targets: [TargetDefinition]

    public init(
        name: String, sourcePath: String, model: String, scope: PipelineScope, batchSize: Int,
        dependsOn: [String], domain: OdooDomain, fields: [FieldRequirement],
        lookups: [LookupDefinition], targets: [TargetDefinition], declaresBatchSize: Bool = true
    ) {
        self.name = name
        self.sourcePath = sourcePath
        self.model = model
        self.scope = scope
        self.batchSize = batchSize
        self.declaresBatchSize = declaresBatchSize
        self.dependsOn = dependsOn
        self.domain = domain
        self.fields = fields
        self.lookups = lookups
        self.targets = targets
    }

    /// Every model whose `fields_get` the resolver needs: the pipeline's own model first, then each
    /// looked-up model once.
    public var modelsToInspect: [String] {
        var models = [model]
        for lookup in lookups where !models.contains(lookup.model) { models.append(lookup.model) }
        return models
    }

    public var tables: [TableSchema] { targets.map(\.table) }
}

/// How the engine runs a pipeline.
public enum PipelineScope: String, Hashable, Sendable, CaseIterable {
    /// One unit per company, read with `allowed_company_ids: [company]`; rows carry that company.
    case company
    /// One unit for the whole database, read with every synced company allowed; for records shared
    /// across companies (partners) or that are companies themselves, so each lands once.
    case global
}

/// A field the pipeline reads and whether it may be absent on a given Odoo.
public struct FieldRequirement: Hashable, Sendable {
    public let name: String
    /// A required field missing from `fields_get` stops the pipeline; an optional one becomes NULL.
    public let isRequired: Bool

    public init(_ name: String, isRequired: Bool) {
        self.name = name
        self.isRequired = isRequired
    }
}

/// Related records fetched once per batch: for every row, the `model` record whose id is in the
/// many2one field `via`, e.g. the `res.partner` of `partner_id` for its `vat`.
public struct LookupDefinition: Hashable, Sendable {
    /// The name columns use to refer to it, e.g. `partner` in `partner.vat`.
    public let name: String
    public let model: String
    /// A many2one field of the pipeline's model pointing at `model`; must be listed in `fields`.
    public let via: String
    public let fields: [FieldRequirement]

    public init(name: String, model: String, via: String, fields: [FieldRequirement]) {
        self.name = name
        self.model = model
        self.via = via
        self.fields = fields
    }
}

/// One warehouse table a pipeline fills, with one column definition per `table.columns` entry.
public struct TargetDefinition: Hashable, Sendable {
    public let table: TableSchema
    public let columns: [ColumnDefinition]
    /// When set, only records passing it produce a row in this table.
    public let filter: RowFilter?

    public init(table: TableSchema, columns: [ColumnDefinition], filter: RowFilter? = nil) {
        self.table = table
        self.columns = columns
        self.filter = filter
    }
}

/// Keeps a record for a table only when a selection/char field holds one of `values`.
public struct RowFilter: Hashable, Sendable {
    public let field: String
    public let values: [String]

    public init(field: String, values: [String]) {
        self.field = field
        self.values = values
    }
}

public struct ColumnDefinition: Hashable, Sendable {
    public let name: String
    public let type: ColumnType
    public let source: ColumnSource

    public init(name: String, type: ColumnType, source: ColumnSource) {
        self.name = name
        self.type = type
        self.source = source
    }
}

/// Where a column's value comes from.
public enum ColumnSource: Hashable, Sendable {
    /// A value of the record or of a looked-up record.
    case value(ValueReference)
    /// A named function of the finance team's vocabulary applied to values.
    case derived(DerivedFunction, [ValueReference])
}

/// A value reference as written in a pipeline file: `id`, `state`, `employee_id.name`,
/// `partner.vat`, `report.account_move_ids`.
public struct ValueReference: Hashable, Sendable, CustomStringConvertible {
    /// The lookup read from, nil for the pipeline's own record.
    public let lookup: String?
    /// The field, or `id` for the record id.
    public let field: String
    public let part: Part

    /// Which piece of a many2one to take; `.whole` for every other type.
    public enum Part: String, Hashable, Sendable {
        case whole
        case id
        case name
    }

    public init(lookup: String? = nil, field: String, part: Part = .whole) {
        self.lookup = lookup
        self.field = field
        self.part = part
    }

    public var isRecordID: Bool { field == "id" && part == .whole }

    public var description: String {
        var text = lookup.map { $0 + "." } ?? ""
        text += field
        if part != .whole { text += "." + part.rawValue }
        return text
    }
}
