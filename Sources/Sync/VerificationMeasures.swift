import ETLModel
import OdooRPC
import Pipelines

/// What `verify` compares for one pipeline, derived from its first target table (the pipeline's own
/// record table) and this Odoo's `fields_get`, so a new pipeline file is verified without code.
public struct VerificationMeasures: Hashable, Sendable {
    /// A warehouse `numeric` column holding an Odoo float or monetary field as is.
    public struct Amount: Hashable, Sendable {
        public let column: String
        public let field: String
        /// The column's scale: Odoo's double sums are rounded to it before comparing.
        public let scale: Int
    }

    /// A warehouse `date` column holding an Odoo date field as is.
    public struct MonthKey: Hashable, Sendable {
        public let column: String
        public let field: String
    }

    /// The first such date column: counts and sums are compared month by month. Nil: whole-unit totals.
    public let month: MonthKey?
    public let amounts: [Amount]

    /// - Parameter fields: `fields_get` of the pipeline's model on this Odoo. Only stored fields
    ///   qualify, since `read_group` can neither sum nor group by the others.
    public init(plan: PipelinePlan, fields: [String: OdooField]) {
        var month: MonthKey?
        var amounts: [Amount] = []
        for column in plan.definition.targets.first?.columns ?? [] {
            guard let field = Self.directField(column.source), let odooField = fields[field], odooField.stored,
                plan.fieldsToRead.contains(field)
            else { continue }
            switch column.type {
            case .numeric(_, let scale) where odooField.type == .float || odooField.type == .monetary:
                amounts.append(Amount(column: column.name, field: field, scale: scale))
            case .money where odooField.type == .float || odooField.type == .monetary:
                // To the centavo: Odoo's sum arrives as a double, exact to 2 decimals at any size a
                // ledger reaches, not always to more.
                amounts.append(Amount(column: column.name, field: field, scale: ColumnType.moneyMinimumScale))
            case .date where month == nil && odooField.type == .date:
                month = MonthKey(column: column.name, field: field)
            default:
                continue
            }
        }
        self.month = month
        self.amounts = amounts
    }

    /// The field of the pipeline's own record a column copies unchanged, nil for derived values,
    /// looked-up records and many2one parts.
    private static func directField(_ source: ColumnSource) -> String? {
        guard case .value(let reference) = source, reference.lookup == nil, reference.part == .whole,
            !reference.isRecordID
        else { return nil }
        return reference.field
    }

    /// Distinct Odoo fields to sum, in column order (two columns may copy the same field).
    var summedFields: [String] {
        var seen: [String] = []
        for amount in amounts where !seen.contains(amount.field) { seen.append(amount.field) }
        return seen
    }
}
