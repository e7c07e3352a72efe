import ETLModel

/// A `jsonb` value as the XML-RPC source would deliver it: Odoo loads the JSON into Python
/// (integers stay integers, numbers with a fraction or exponent become floats), sends it over the
/// API, and the record decoder writes canonical JSON. Parsing into the same value model and
/// writing it canonically gives byte-identical text (`{"3":100.0}` stays a float).
enum SQLSourceJSON {
    /// Canonical JSON text, or nil for a value Python finds false (`{}`, `[]`, `0`, `""`, `false`,
    /// `null`): Odoo's `fields.Json` reads those as empty, so the API sends `False`.
    static func canonical(_ text: String) throws -> String? {
        let value = try JSONValue.parse(text, strings: SQLSourceText.asDelivered)
        return value.isFalsy ? nil : value.canonicalText
    }
}
