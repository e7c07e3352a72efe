import ETLModel

extension DerivedFunction {
    /// Applies the function. `False` arguments count as empty; an empty input gives NULL.
    func evaluate(_ rawArguments: [OdooValue]) throws -> Cell {
        let arguments = rawArguments.map { $0 == .bool(false) ? OdooValue.null : $0 }
        let first = arguments.first ?? .null
        let second = arguments.count > 1 ? arguments[1] : .null
        switch self {
        case .approvalLevel: return try approvalLevel(first)
        case .expenseStage: return expenseStage(state: first, reportState: second)
        case .monthStart: return monthStart(first)
        case .tinDigits: return tin(first).map { .text($0.number) } ?? .null
        case .tinBranch: return tin(first).map { .text($0.branch) } ?? .null
        case .birTransactionType: return birTransactionType(use: first, rate: second)
        case .expenseJournalEntry: return expenseJournalEntry(move: first, reportMoves: second)
        case .isPosted: return isPosted(first)
        }
    }
}
