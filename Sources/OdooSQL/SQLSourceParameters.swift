import ETLModel

/// Values for one statement of the SQL source, kept out of its text.
///
/// `COPY (SELECT …) TO STDOUT` takes no bind parameters, so each value is bound to a
/// transaction-local setting (`set_config('odoo_etl.pN', $N, true)`) and the query reads it back
/// as `(SELECT current_setting('odoo_etl.pN')::type)`. The scalar subquery is evaluated once per
/// statement, not once per row, and a value never becomes part of the SQL text. This works on a
/// read-only transaction and on a hot standby alike.
struct SQLSourceParameters {
    private(set) var values: [String] = []

    /// The SQL expression that reads `text` back as `type` (e.g. `bigint`, `timestamp`, `text[]`).
    mutating func bind(_ text: String, as type: String) -> String {
        values.append(text)
        return "(SELECT current_setting('odoo_etl.p\(values.count)')::\(type))"
    }

    /// An array for `= ANY(…)`: the cast outside the subquery keeps PostgreSQL from reading
    /// `ANY((SELECT …))` as a comparison with each row of a subquery.
    mutating func bindArray(_ literal: String, of elementType: String) -> String {
        bind(literal, as: "\(elementType)[]") + "::\(elementType)[]"
    }

    mutating func bind(_ number: Int64) -> String {
        bind(String(number), as: "bigint")
    }

    mutating func bind(_ instant: OdooDateTime) -> String {
        bind(instant.description, as: "timestamp")
    }

    /// `SELECT set_config(…), …` with its bind values; nil when there is nothing to bind.
    var assignment: (sql: String, values: [String])? {
        guard !values.isEmpty else { return nil }
        let calls = values.indices.map { "set_config('odoo_etl.p\($0 + 1)', $\($0 + 1), true)" }
        return ("SELECT " + calls.joined(separator: ", "), values)
    }

    /// A PostgreSQL array literal of texts, each element quoted (`{"a","b \"c\""}`).
    static func arrayLiteral(_ texts: [String]) -> String {
        let elements = texts.map { text -> String in
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }

    static func arrayLiteral(_ numbers: [Int64]) -> String {
        "{" + numbers.map(String.init).joined(separator: ",") + "}"
    }
}
