import ETLModel
import InstanceConfig

/// Minimal JSON writing with a fixed key order, so log lines and golden files are stable byte for byte.
enum JSONText {
    /// A JSON string literal, escaped by the one JSON writer (`JSONValue`).
    static func string(_ text: String) -> String { JSONValue.string(text).canonicalText }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return string(String(describing: value)) }
        return PlainNumber.text(value)
    }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ",") + "]"
    }
}
