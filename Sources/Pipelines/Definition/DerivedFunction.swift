import ETLModel

/// The named derived values a pipeline file may use (`derive: approval_level`). Each is a pure
/// function of the values named in `args`; `DerivedFunction+Evaluation.swift` implements them.
public enum DerivedFunction: String, Hashable, Sendable, CaseIterable {
    /// Finance's approval tier for an amount: up to 5,000 "within policy", up to 25,000 "manager",
    /// up to 100,000 "department head", above that "CFO" (magnitude, to the cent).
    case approvalLevel = "approval_level"
    /// Expense stage across Odoo versions: draft, submitted, approved, posted, paid, refused; from an
    /// expense state and, on Odoo 18 and earlier, its report's state.
    case expenseStage = "expense_stage"
    /// The first day of a date's month (the expense month).
    case monthStart = "month_start"
    /// A Philippine TIN's first 9 digits from a free-form VAT number.
    case tinDigits = "tin_digits"
    /// A Philippine TIN's 3-digit branch code (digits 10–12), `000` when the number has none.
    case tinBranch = "tin_branch"
    /// BIR transaction type of a tax: `withholding_tax` for negative rates, else `vat_output` for
    /// sale taxes and `vat_input` for purchase taxes.
    case birTransactionType = "bir_transaction_type"
    /// An expense's journal entry: its own `account_move_id` (Odoo 19), else its report's only move
    /// (Odoo 18 and earlier).
    case expenseJournalEntry = "expense_journal_entry"
    /// Whether a move state is `posted`.
    case isPosted = "is_posted"

    /// How many `args` the function takes.
    public var arity: ClosedRange<Int> {
        switch self {
        case .expenseStage, .expenseJournalEntry: return 1...2
        case .birTransactionType: return 2...2
        default: return 1...1
        }
    }

    /// The Odoo field types accepted at each argument position.
    public var parameterTypes: [Set<OdooFieldType>] {
        switch self {
        case .approvalLevel: return [[.monetary, .float, .integer]]
        case .expenseStage: return [[.selection], [.selection]]
        // Not a datetime: its UTC month can be the month before Manila's (BIR periods follow Manila).
        case .monthStart: return [[.date]]
        case .tinDigits, .tinBranch: return [[.char]]
        case .birTransactionType: return [[.selection], [.float]]
        case .expenseJournalEntry: return [[.many2one], [.one2many, .many2many]]
        case .isPosted: return [[.selection]]
        }
    }

    /// Whether the function's result can fill a column of `type`.
    public func canFill(_ type: ColumnType) -> Bool {
        switch self {
        case .approvalLevel, .expenseStage, .tinDigits, .tinBranch, .birTransactionType:
            return type == .text
        case .monthStart: return type == .date
        case .expenseJournalEntry: return type == .bigint || type == .integer
        case .isPosted: return type == .boolean
        }
    }

    /// The column types it produces, for messages.
    public var resultDescription: String {
        switch self {
        case .approvalLevel, .expenseStage, .tinDigits, .tinBranch, .birTransactionType: return "text"
        case .monthStart: return "date"
        case .expenseJournalEntry: return "bigint or integer"
        case .isPosted: return "boolean"
        }
    }
}
