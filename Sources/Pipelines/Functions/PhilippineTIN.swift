import ETLModel

// Philippine TINs in free-form VAT numbers (`tin_digits`, `tin_branch`).
extension DerivedFunction {
    /// The digits of a VAT number: the first 9 are the TIN, the next 3 the branch (default 000).
    func tin(_ value: OdooValue) -> (number: String, branch: String)? {
        guard case .string(let text) = value else { return nil }
        let digits = text.filter { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        let number = String(digits.prefix(9))
        let rest = digits.dropFirst(9)
        let branch = rest.count >= 3 ? String(rest.prefix(3)) : "000"
        return (number, branch)
    }
}
