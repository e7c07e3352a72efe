import ETLModel
import OdooRPC

/// The period a verified count or sum covers.
public enum VerificationMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar month of the pipeline's date column.
    case month(year: Int, month: Int)
    /// Records whose date is empty.
    case undated
    /// The whole unit: the pipeline has no date column, or the total differs across months.
    case all

    public var description: String {
        switch self {
        case .month(let year, let month): return String(format: "%04d-%02d", year, month)
        case .undated: return "no date"
        case .all: return "all months"
        }
    }

    /// A `read_group` month group value. Odoo labels months in the context's language (`April
    /// 2026` with `lang: en_US`, which the verifier sends); ISO dates and Odoo 19's
    /// `[value, label]` pairs are accepted too. False is the group of empty dates.
    init?(odooGroupValue value: OdooValue) {
        switch value {
        case .null, .bool(false):
            self = .undated
        case .date(let date):
            self = .month(year: date.year, month: date.month)
        case .string(let text):
            guard let parsed = Self.isoMonth(text) ?? Self.englishLabel(text) else { return nil }
            self = parsed
        case .json(let text):
            guard let first = Self.firstJSONString(text), let parsed = Self.isoMonth(first) ?? Self.englishLabel(first) else {
                return nil
            }
            self = parsed
        default:
            return nil
        }
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    ]

    /// `April 2026` or `Apr 2026`.
    private static func englishLabel(_ text: String) -> VerificationMonth? {
        let words = text.split(separator: " ")
        guard words.count == 2, let year = Int(words[1]), (1...9999).contains(year) else { return nil }
        let name = words[0].lowercased()
        guard let index = monthNames.firstIndex(where: { $0 == name || (name.count == 3 && $0.hasPrefix(name)) }) else {
            return nil
        }
        return .month(year: year, month: index + 1)
    }

    /// `2026-04` or `2026-04-01`.
    private static func isoMonth(_ text: String) -> VerificationMonth? {
        let parts = text.split(separator: "-")
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        if parts.count == 3, !(parts[2].count == 2 && Int(parts[2]) != nil) { return nil }
        return .month(year: year, month: month)
    }

    /// The first element of a JSON array of strings, e.g. `["2026-04-01","April 2026"]`.
    private static func firstJSONString(_ text: String) -> String? {
        guard text.hasPrefix("[\""), let end = text.dropFirst(2).firstIndex(of: "\"") else { return nil }
        return String(text[text.index(text.startIndex, offsetBy: 2)..<end])
    }

    public static func < (lhs: VerificationMonth, rhs: VerificationMonth) -> Bool {
        switch (lhs, rhs) {
        case (.month(let y1, let m1), .month(let y2, let m2)): return (y1, m1) < (y2, m2)
        case (.month, _): return true
        case (.undated, .all): return true
        default: return false
        }
    }
}
