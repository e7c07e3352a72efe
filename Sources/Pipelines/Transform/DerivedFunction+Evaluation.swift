import ETLModel

extension DerivedFunction {
    /// Approval tiers by amount (inclusive upper bounds), as the finance team defines them.
    static let approvalTiers: [(limit: Int64, level: String)] = [
        (5_000, "within policy"), (25_000, "manager"), (100_000, "department head"),
    ]
    static let topApprovalLevel = "CFO"

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
        case .isPosted:
            guard case .string(let state) = first else { return .null }
            return .bool(state == "posted")
        }
    }

    private func approvalLevel(_ amount: OdooValue) throws -> Cell {
        let decimal: ExactDecimal
        switch amount {
        case .float(let number):
            guard let exact = ExactDecimal(number) else {
                throw CellConversion.Mismatch(problem: "\(number) is not a finite amount", fix: "correct the amount in Odoo")
            }
            decimal = exact
        case .int(let number): decimal = ExactDecimal(number)
        default: return .null
        }
        let cents = decimal.rounded(scale: 2)
        let tier = Self.approvalTiers.first { cents.magnitudeIsAtMost($0.limit) }
        return .text(tier?.level ?? Self.topApprovalLevel)
    }

    /// A refused expense stays refused; otherwise the report's state (Odoo 18) is the more precise one.
    private func expenseStage(state: OdooValue, reportState: OdooValue) -> Cell {
        func stage(_ value: OdooValue) -> String? {
            guard case .string(let text) = value else { return nil }
            return Self.stages[text]
        }
        let own = stage(state)
        if own == "refused" { return .text("refused") }
        return (stage(reportState) ?? own).map(Cell.text) ?? .null
    }

    private func monthStart(_ value: OdooValue) -> Cell {
        guard case .date(let date) = value else { return .null }
        return .date(OdooDate(year: date.year, month: date.month, day: 1))
    }

    /// The digits of a VAT number: the first 9 are the TIN, the next 3 the branch (default 000).
    private func tin(_ value: OdooValue) -> (number: String, branch: String)? {
        guard case .string(let text) = value else { return nil }
        let digits = text.filter { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        let number = String(digits.prefix(9))
        let rest = digits.dropFirst(9)
        let branch = rest.count >= 3 ? String(rest.prefix(3)) : "000"
        return (number, branch)
    }

    private func birTransactionType(use: OdooValue, rate: OdooValue) -> Cell {
        let isNegative: Bool
        switch rate {
        case .float(let number): isNegative = ExactDecimal(number)?.isNegative ?? false
        case .int(let number): isNegative = number < 0
        default: isNegative = false
        }
        if isNegative { return .text("withholding_tax") }
        guard case .string(let scope) = use else { return .null }
        switch scope {
        case "sale": return .text("vat_output")
        case "purchase": return .text("vat_input")
        default: return .null
        }
    }

    /// A report with several moves (company-paid expenses, one move each) does not say which is
    /// this expense's, so only a single move counts.
    private func expenseJournalEntry(move: OdooValue, reportMoves: OdooValue) -> Cell {
        switch move {
        case .many2one(let id, _): return .int(id)
        case .int(let id): return .int(id)
        default: break
        }
        if case .ids(let ids) = reportMoves, ids.count == 1 { return .int(ids[0]) }
        return .null
    }
}
