import Foundation

/// The rows of one statement, copied out of libpq (text format).
public struct PostgresResult: Sendable {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// Rows inserted/updated/deleted/copied, as the command tag reports.
    public let affectedRows: Int

    init(columns: [String], values: [[String?]], affectedRows: Int) {
        self.columns = columns
        let index = ColumnIndex(columns)
        self.rows = values.map { PostgresRow(index: index, values: $0) }
        self.affectedRows = affectedRows
    }

    /// The only row, or nil when there is none.
    public var first: PostgresRow? { rows.first }
}

final class ColumnIndex: Sendable {
    let positions: [String: Int]
    init(_ names: [String]) {
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }
}

/// One row with typed accessors. A missing column or a value that does not parse as the asked type
/// throws a `PostgresDecodingError` naming the column.
public struct PostgresRow: Sendable {
    let index: ColumnIndex
    public let values: [String?]

    public func raw(_ column: String) throws -> String? {
        guard let i = index.positions[column] else {
            throw PostgresDecodingError(column: column, value: nil, expected: "an existing column")
        }
        return values[i]
    }

    public func string(_ column: String) throws -> String? { try raw(column) }

    public func int(_ column: String) throws -> Int64? {
        try parse(column, "bigint") { Int64($0) }
    }

    public func double(_ column: String) throws -> Double? {
        try parse(column, "double precision") { Double($0) }
    }

    public func bool(_ column: String) throws -> Bool? {
        try parse(column, "boolean") { $0 == "t" ? true : ($0 == "f" ? false : nil) }
    }

    /// `numeric` as Foundation `Decimal` (exact up to 38 digits).
    public func decimal(_ column: String) throws -> Decimal? {
        try parse(column, "numeric") { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// `numeric` as its exact text (e.g. `"1234.50"`), for comparisons to the centavo.
    public func numericText(_ column: String) throws -> String? { try raw(column) }

    /// `date` as `YYYY-MM-DD`.
    public func date(_ column: String) throws -> String? {
        try parse(column, "date") { $0.count == 10 ? $0 : nil }
    }

    /// `timestamp` / `timestamptz` as an instant. `timestamp` values are read as UTC, which is the
    /// session time zone this module sets.
    public func timestamp(_ column: String) throws -> Date? {
        try parse(column, "timestamp") { PostgresTimestamp.parse($0) }
    }

    /// `json` / `jsonb` parsed with JSONSerialization.
    public func json(_ column: String) throws -> Any? {
        try parse(column, "jsonb") { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
    }

    private func parse<T>(_ column: String, _ expected: String, _ convert: (String) -> T?) throws -> T? {
        guard let text = try raw(column) else { return nil }
        guard let value = convert(text) else { throw PostgresDecodingError(column: column, value: text, expected: expected) }
        return value
    }
}

public struct PostgresDecodingError: Error, CustomStringConvertible {
    public let column: String
    public let value: String?
    public let expected: String
    public var description: String {
        if let value { return "column \(column): cannot read \(value.prefix(40).debugDescription) as \(expected)" }
        return "result has no column \(column)"
    }
}

enum PostgresTimestamp {
    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]`.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                v = v * 10 + Int(bytes[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
            let mi = num(14..<16), let s = num(17..<19)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < bytes.count, bytes[i] == 46 {
            var scale = 0.1
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                fraction += Double(bytes[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < bytes.count, bytes[i] == 43 || bytes[i] == 45 {
            let sign = bytes[i] == 45 ? -1 : 1
            guard let oh = num((i + 1)..<(i + 3)) else { return nil }
            var om = 0
            if i + 5 < bytes.count + 1, i + 3 < bytes.count, bytes[i + 3] == 58, let m = num((i + 4)..<(i + 6)) { om = m }
            offset = sign * (oh * 3600 + om * 60)
        }
        var components = DateComponents()
        components.year = y
        components.month = mo
        components.day = d
        components.hour = h
        components.minute = mi
        components.second = s
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let base = calendar.date(from: components) else { return nil }
        return base.addingTimeInterval(fraction - Double(offset))
    }
}
