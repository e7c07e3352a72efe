import ETLModel

// Journal entry states (`is_posted`).
extension DerivedFunction {
    func isPosted(_ state: OdooValue) -> Cell {
        guard case .string(let text) = state else { return .null }
        return .bool(text == "posted")
    }
}
