import ETLModel

// Expense stages across Odoo versions (`expense_stage`).
extension DerivedFunction {
    /// Expense and expense-report states of Odoo 18 and 19 onto one vocabulary. Odoo 18's `reported`
    /// ("to submit") is still a draft; 19's `in_payment` counts as paid.
    static let stages: [String: String] = [
        "draft": "draft", "reported": "draft",
        "submit": "submitted", "submitted": "submitted",
        "approve": "approved", "approved": "approved",
        "post": "posted", "posted": "posted",
        "done": "paid", "in_payment": "paid", "paid": "paid",
        "cancel": "refused", "refused": "refused",
    ]

    /// A refused expense stays refused; otherwise the report's state (Odoo 18) is the more precise one.
    func expenseStage(state: OdooValue, reportState: OdooValue) -> Cell {
        func stage(_ value: OdooValue) -> String? {
            guard case .string(let text) = value else { return nil }
            return Self.stages[text]
        }
        let own = stage(state)
        if own == "refused" { return .text("refused") }
        return (stage(reportState) ?? own).map(Cell.text) ?? .null
    }
}
