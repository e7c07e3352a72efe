/// Why a unit could not be compared. Each says what was expected, what came, and what to do.
public enum VerificationError: Error, CustomStringConvertible, Equatable {
    /// A `read_group` month group whose label is none of the forms the verifier reads.
    case unreadableMonth(model: String, field: String, value: String)
    /// Two `read_group` groups for the same month (labels that collide).
    case repeatedMonth(model: String, month: String)
    /// A `read_group` sum that is not a number.
    case unreadableSum(model: String, field: String, value: String)
    /// A company-scoped pipeline whose first table has no tenant column to filter by.
    case tableNotTenantScoped(pipeline: String, table: String)

    public var description: String {
        switch self {
        case .unreadableMonth(let model, let field, let value):
            return "read_group of \(model) by \(field):month answered the month group \(value), which is neither "
                + "an English month label (April 2026) nor an ISO date; check that the Odoo user can use the en_US "
                + "language, then run verify again"
        case .repeatedMonth(let model, let month):
            return "read_group of \(model) answered two groups for \(month), so their counts and sums cannot be told "
                + "apart; nothing was compared (report this with the Odoo version)"
        case .unreadableSum(let model, let field, let value):
            return "read_group of \(model) answered \(value) as the sum of \(field), not a number; nothing was compared"
        case .tableNotTenantScoped(let pipeline, let table):
            return "pipeline '\(pipeline)' is company-scoped but its table \(table) has no company column, so its "
                + "rows cannot be counted per company; give the table a company_id column or make the pipeline global"
        }
    }
}
