import ETLModel

// BIR transaction types of taxes (`bir_transaction_type`).
extension DerivedFunction {
    func birTransactionType(use: OdooValue, rate: OdooValue) -> Cell {
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
}
