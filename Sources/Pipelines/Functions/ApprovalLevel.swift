import ETLModel

// Finance's approval tiers (`approval_level`).
extension DerivedFunction {
    /// Approval tiers by amount (inclusive upper bounds), as the finance team defines them.
    static let approvalTiers: [(limit: Int64, level: String)] = [
        (5_000, "within policy"), (25_000, "manager"), (100_000, "department head"),
    ]
    static let topApprovalLevel = "CFO"

    func approvalLevel(_ amount: OdooValue) throws -> Cell {
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
}
