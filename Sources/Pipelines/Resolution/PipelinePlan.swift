import ETLModel

/// A pipeline checked against one Odoo: which fields to read, which related records to fetch per
/// batch, and the compiled column mappings the transformer applies. Built by `PipelineResolver`.
public struct PipelinePlan: Sendable {
    public let definition: PipelineDefinition
    public let odooVersion: String
    /// Fields of `model` to pass to `search_read` (those this Odoo has, in file order; `id` comes anyway).
    public let fieldsToRead: [String]
    /// One `read` per request per batch; pass the results to `transform` keyed by model.
    public let lookupRequests: [LookupRequest]
    /// One notice per optional field this Odoo lacks (its columns are NULL).
    public let warnings: [ResolutionNotice]

    let targets: [CompiledTarget]
    /// Lookups whose `via` field exists on this Odoo.
    let lookups: [String: CompiledLookup]

    public var name: String { definition.name }
    public var model: String { definition.model }
    public var scope: PipelineScope { definition.scope }
    public var batchSize: Int { definition.batchSize }
    public var domain: OdooDomain { definition.domain }
    public var tables: [TableSchema] { targets.map(\.table) }
}

struct CompiledLookup: Hashable, Sendable {
    let name: String
    let model: String
    let via: String
}

/// A value reference with what this Odoo decided about it.
struct CompiledReference: Hashable, Sendable {
    let reference: ValueReference
    /// Read from the looked-up record of this lookup, nil for the pipeline's own record.
    let lookup: CompiledLookup?
    /// The field (or its lookup) does not exist on this Odoo: always NULL.
    let isAbsent: Bool
}

enum CompiledSource: Hashable, Sendable {
    case value(CompiledReference)
    case derived(DerivedFunction, [CompiledReference])
}

struct CompiledColumn: Hashable, Sendable {
    let name: String
    let type: ColumnType
    let source: CompiledSource
}

struct CompiledTarget: Hashable, Sendable {
    let table: TableSchema
    let columns: [CompiledColumn]
    let filter: RowFilter?
}
