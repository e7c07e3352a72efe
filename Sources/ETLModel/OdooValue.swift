import Foundation

/// A calendar date as Odoo sends it (`YYYY-MM-DD`), without time zone.
public struct OdooDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        var bytes = [UInt8](repeating: 0x30, count: 10)
        ASCIIDigits.write(year, width: 4, into: &bytes, at: 0)
        bytes[4] = 0x2D
        ASCIIDigits.write(month, width: 2, into: &bytes, at: 5)
        bytes[7] = 0x2D
        ASCIIDigits.write(day, width: 2, into: &bytes, at: 8)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: OdooDate, b: OdooDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A naive UTC timestamp as Odoo sends it over XML-RPC (`YYYY-MM-DD HH:MM:SS`, whole seconds),
/// or with microseconds when read from Odoo's own database.
public struct OdooDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` (also accepts `T` as separator); nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x20 || bytes[10] == 0x54,
            bytes[13] == 0x3A, bytes[16] == 0x3A
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
            let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var micros: Int64 = 0
        if bytes.count > 19 {
            guard bytes[19] == 0x2E, bytes.count > 20, bytes.count <= 26, let f = number(20..<bytes.count) else { return nil }
            var scaled = Int64(f)
            for _ in 0..<(26 - bytes.count) { scaled *= 10 }
            micros = scaled
        }
        let days = OdooDateTime.daysFromCivil(year: y, month: mo, day: d)
        let seconds = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        self.microseconds = seconds * 1_000_000 + micros
    }

    /// Whole seconds since the epoch (floor).
    public var seconds: Int64 {
        microseconds >= 0 ? microseconds / 1_000_000 : -((-microseconds + 999_999) / 1_000_000)
    }

    /// The start of the second this instant falls in.
    public var wholeSecond: OdooDateTime { OdooDateTime(seconds: seconds) }

    public func adding(seconds delta: Int64) -> OdooDateTime {
        OdooDateTime(microseconds: microseconds + delta * 1_000_000)
    }

    public var date: OdooDate {
        let days = Int(floorDiv(seconds, 86_400))
        let (y, m, d) = OdooDateTime.civilFromDays(days)
        return OdooDate(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD HH:MM:SS`, plus `.ffffff` when there is a fraction: the form Odoo domains and
    /// PostgreSQL both accept.
    public var description: String {
        let secs = seconds
        let day = date
        let rem = Int(secs - floorDiv(secs, 86_400) * 86_400)
        let fraction = Int(microseconds - secs * 1_000_000)
        // Built byte by byte: this runs once per row on the load path, where String(format:) is slow.
        var bytes = [UInt8](repeating: 0x30, count: fraction == 0 ? 19 : 26)
        ASCIIDigits.write(day.year, width: 4, into: &bytes, at: 0)
        bytes[4] = 0x2D
        ASCIIDigits.write(day.month, width: 2, into: &bytes, at: 5)
        bytes[7] = 0x2D
        ASCIIDigits.write(day.day, width: 2, into: &bytes, at: 8)
        bytes[10] = 0x20
        ASCIIDigits.write(rem / 3600, width: 2, into: &bytes, at: 11)
        bytes[13] = 0x3A
        ASCIIDigits.write((rem / 60) % 60, width: 2, into: &bytes, at: 14)
        bytes[16] = 0x3A
        ASCIIDigits.write(rem % 60, width: 2, into: &bytes, at: 17)
        if fraction != 0 {
            bytes[19] = 0x2E
            ASCIIDigits.write(fraction, width: 6, into: &bytes, at: 20)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: OdooDateTime, b: OdooDateTime) -> Bool { a.microseconds < b.microseconds }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    // Howard Hinnant's civil-calendar algorithms: exact for every proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// The type of an Odoo field, as `fields_get` reports it in `type`.
public enum OdooFieldType: String, Sendable, CaseIterable {
    case char, text, html, integer, float, monetary, boolean, date, datetime, selection
    case many2one, one2many, many2many, binary, json, reference, properties
    case many2oneReference = "many2one_reference"
    case propertiesDefinition = "properties_definition"
}

/// One Odoo field value after Odoo's wire conventions are undone: `False` of a non-boolean field is
/// `.null`, a many2one pair is `.many2one`, an integer Odoo had to send as a double is `.int`.
public enum OdooValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// `float` and `monetary` fields exactly as sent; rounding to a currency's precision is the
    /// transformer's job, done on the shortest decimal representation, never by float arithmetic.
    case float(Double)
    /// char, text, html, selection, binary (base64 text), reference.
    case string(String)
    case date(OdooDate)
    case datetime(OdooDateTime)
    case many2one(id: Int64, name: String)
    /// one2many / many2many.
    case ids([Int64])
    /// json / properties fields (e.g. `analytic_distribution`) as canonical JSON text with sorted keys.
    case json(String)
}

/// One record as returned by `search_read`/`read`, typed by the model's `fields_get`.
public struct OdooRecord: Hashable, Sendable {
    public let id: Int64
    public var fields: [String: OdooValue]

    public init(id: Int64, fields: [String: OdooValue]) {
        self.id = id
        self.fields = fields
    }

    public subscript(_ name: String) -> OdooValue { fields[name] ?? .null }

    /// The record's `write_date`, which every incremental pipeline requests.
    public var writeDate: OdooDateTime? {
        if case .datetime(let value) = self["write_date"] { return value }
        return nil
    }
}

/// Field metadata from `fields_get` (attributes `type`, `string`, `required`, `relation`, `store`).
public struct OdooField: Hashable, Sendable {
    public let name: String
    public let type: OdooFieldType?
    /// The raw `type` string, kept for types this engine does not know.
    public let typeName: String
    public let label: String
    public let relation: String?
    public let stored: Bool
    /// One value per company (Odoo 18 stores them in a `jsonb` column keyed by company id).
    public let companyDependent: Bool
    /// Decimals a float field is rounded to whenever Odoo reads it (`digits`), when it has a precision.
    public let decimalDigits: Int?

    public init(
        name: String, typeName: String, label: String = "", relation: String? = nil, stored: Bool = true,
        companyDependent: Bool = false, decimalDigits: Int? = nil
    ) {
        self.name = name
        self.typeName = typeName
        self.type = OdooFieldType(rawValue: typeName)
        self.label = label
        self.relation = relation
        self.stored = stored
        self.companyDependent = companyDependent
        self.decimalDigits = decimalDigits
    }
}

/// Zero-padded decimal digits written into a byte buffer (years beyond 9999 keep their low digits,
/// which Odoo never sends).
enum ASCIIDigits {
    static func write(_ value: Int, width: Int, into bytes: inout [UInt8], at offset: Int) {
        var rest = abs(value)
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[position] = UInt8(0x30 + rest % 10)
            rest /= 10
        }
    }
}
