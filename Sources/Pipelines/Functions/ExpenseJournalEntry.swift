import ETLModel

// An expense's journal entry across Odoo versions (`expense_journal_entry`).
extension DerivedFunction {
    /// A report with several moves (company-paid expenses, one move each) does not say which is
    /// this expense's, so only a single move counts.
    func expenseJournalEntry(move: OdooValue, reportMoves: OdooValue) -> Cell {
        switch move {
        case .many2one(let id, _): return .int(id)
        case .int(let id): return .int(id)
        default: break
        }
        if case .ids(let ids) = reportMoves, ids.count == 1 { return .int(ids[0]) }
        return .null
    }
}
