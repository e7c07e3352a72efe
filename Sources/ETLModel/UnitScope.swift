/// Which records of a model one unit covers: the pipeline's condition (with a backfill's window),
/// scoped to the unit's company by the model's company field and by the call context. Built once
/// per unit; extraction, the progress estimate, reconciliation and verification all ask for this
/// one set, so reconciliation never judges records against another domain than extraction read.
public struct UnitScope: Hashable, Sendable {
    public var model: String
    /// The pipeline's own condition, and-ed to every query.
    public var condition: OdooDomain
    /// Scope to one company: the condition `companyField = companyID` and the context
    /// `allowed_company_ids: [companyID]`.
    public var companyID: Int64?
    /// The model's company field; nil scopes by the context alone (for models without one).
    public var companyField: String?

    public init(model: String, condition: OdooDomain = .all, companyID: Int64? = nil, companyField: String? = "company_id") {
        self.model = model
        self.condition = condition
        self.companyID = companyID
        self.companyField = companyField
    }

    /// `companyField = companyID`, when the unit is scoped by a field.
    public var companyCondition: OdooDomain? {
        guard let companyID, let companyField else { return nil }
        return .leaf(companyField, .equal, .int(companyID))
    }

    /// Every record of the unit, narrowed by `extra` (a page's bounds, a filter): the condition
    /// first, then `extra`, then the company.
    public func domain(and extra: [OdooDomain] = []) -> OdooDomain {
        OdooDomain.and([condition] + extra + (companyCondition.map { [$0] } ?? [])).simplified
    }

    /// What every call of the unit sends: archived records included, the unit's company selected.
    public var context: OdooContext { .extraction(companyID: companyID) }
}

/// What a reader extracts for one unit: the scope, the fields, where to start, and the page size.
/// Both readers (Odoo's API and Odoo's own database) take the same request and deliver the same
/// records with the same checkpoint semantics.
public struct ExtractionRequest: Sendable {
    public var scope: UnitScope
    /// The fields to read; `write_date` is added when missing (`id` always comes).
    public var fields: [String]
    /// The stored checkpoint; nil for a first run, which starts at `Checkpoint.beginning`.
    public var checkpoint: Checkpoint?
    /// Re-read this many seconds before the checkpoint (start at `(S - lookback, 0)`).
    public var lookbackSeconds: Int64
    /// Only records with `write_date < until`, e.g. the end of a backfill window.
    public var until: OdooDateTime?
    /// Records per query; 5,000 is a good size for Odoo.
    public var pageSize: Int

    public init(
        scope: UnitScope, fields: [String], checkpoint: Checkpoint? = nil, lookbackSeconds: Int64 = 0,
        until: OdooDateTime? = nil, pageSize: Int = 5000
    ) {
        self.scope = scope
        self.fields = fields
        self.checkpoint = checkpoint
        self.lookbackSeconds = lookbackSeconds
        self.until = until
        self.pageSize = pageSize
    }

    public init(
        model: String, fields: [String], domain: OdooDomain = .all, companyID: Int64? = nil,
        companyField: String? = "company_id", checkpoint: Checkpoint? = nil, lookbackSeconds: Int64 = 0,
        until: OdooDateTime? = nil, pageSize: Int = 5000
    ) {
        self.init(
            scope: UnitScope(model: model, condition: domain, companyID: companyID, companyField: companyField),
            fields: fields, checkpoint: checkpoint, lookbackSeconds: lookbackSeconds, until: until, pageSize: pageSize)
    }

    /// The fields with `write_date`, which paging and the merge guard need.
    public var fieldsWithWriteDate: [String] { fields.contains("write_date") ? fields : fields + ["write_date"] }

    /// Where the run starts: the checkpoint (or the beginning) moved back by the lookback.
    public var start: Checkpoint {
        (checkpoint ?? .beginning).lookingBack(seconds: lookbackSeconds)
    }
}
