/// A number as an operator writes it in the matrix, `30` rather than `30.0`: messages about a
/// setting and `odoo-etl config` quote settings this way, and JSON output writes numbers so too.
public enum PlainNumber {
    public static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(describing: value)
    }
}
