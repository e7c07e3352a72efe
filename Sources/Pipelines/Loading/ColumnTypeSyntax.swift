import ETLModel

/// Column types as written in pipeline files: the SQL spelling, plus `money` for amounts kept with
/// their currency's own decimals (`numeric` without a fixed scale).
enum ColumnTypeSyntax {
    static let spellings = [
        "bigint", "integer", "text", "boolean", "money", "numeric(p,s)", "date",
        "timestamp", "timestamptz", "jsonb", "bigint[]",
    ]

    static func parse(_ text: String) -> ColumnType? {
        let spelling = text.lowercased().replacingOccurrences(of: " ", with: "")
        switch spelling {
        case "bigint": return .bigint
        case "integer": return .integer
        case "text": return .text
        case "boolean": return .boolean
        case "money": return .money
        case "date": return .date
        case "timestamp": return .timestamp
        case "timestamptz": return .timestamptz
        case "jsonb": return .jsonb
        case "bigint[]": return .bigintArray
        default: return numeric(spelling)
        }
    }

    /// `numeric(p,s)` with PostgreSQL's limits: 1 ≤ p ≤ 1000, 0 ≤ s ≤ p.
    private static func numeric(_ spelling: String) -> ColumnType? {
        guard spelling.hasPrefix("numeric("), spelling.hasSuffix(")") else { return nil }
        let inner = spelling.dropFirst("numeric(".count).dropLast()
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let precision = Int(parts[0]), let scale = Int(parts[1]),
            (1...1000).contains(precision), (0...precision).contains(scale)
        else { return nil }
        return .numeric(precision: precision, scale: scale)
    }
}
