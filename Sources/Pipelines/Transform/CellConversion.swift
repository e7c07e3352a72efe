import ETLModel

/// Turns one Odoo value into the cell of a column type. `False` of a non-boolean field is NULL
/// whether or not the decoder already knew the field's type: it never lands as "false" or 0.
enum CellConversion {
    /// Why a value does not fit; the caller adds record and column.
    struct Mismatch: Error {
        let problem: String
        let fix: String
    }

    static func cell(_ value: OdooValue, part: ValueReference.Part, type: ColumnType) throws -> Cell {
        switch (value, part) {
        case (.many2one(let id, _), .id), (.many2one(let id, _), .whole): return try cell(.int(id), type: type)
        case (.many2one(_, let name), .name): return try cell(.string(name), type: type)
        default: return try cell(value, type: type)
        }
    }

    static func cell(_ value: OdooValue, type: ColumnType) throws -> Cell {
        switch value {
        case .null: return .null
        case .bool(false) where type != .boolean: return .null
        default: break
        }
        switch (type, value) {
        case (.bigint, .int(let number)): return .int(number)
        case (.integer, .int(let number)):
            guard number >= Int64(Int32.min), number <= Int64(Int32.max) else {
                throw Mismatch(
                    problem: "\(number) does not fit an integer column",
                    fix: "declare the column as bigint in the pipeline and a new migration")
            }
            return .int(number)
        case (.text, .string(let text)): return .text(text)
        case (.numeric(let precision, let scale), .float(let number)):
            if let units = ScaledMoney.units(number, scale: scale) {
                return try numeric(units: units, precision: precision, scale: scale)
            }
            guard let decimal = ExactDecimal(number) else {
                throw Mismatch(problem: "\(number) is not a finite number", fix: "correct the value in Odoo")
            }
            return try numeric(decimal, precision: precision, scale: scale)
        case (.numeric(let precision, let scale), .int(let number)):
            return try numeric(ExactDecimal(number), precision: precision, scale: scale)
        case (.money, .float(let number)):
            // Most amounts have at most 2 decimals and take the whole-units fast path.
            if let units = ScaledMoney.units(number, scale: ColumnType.moneyMinimumScale) {
                return .numeric(ScaledMoney.text(units: units, scale: ColumnType.moneyMinimumScale))
            }
            guard let decimal = ExactDecimal(number) else {
                throw Mismatch(problem: "\(number) is not a finite number", fix: "correct the value in Odoo")
            }
            return .numeric(decimal.text(minimumScale: ColumnType.moneyMinimumScale, maximumScale: ColumnType.moneyMaximumScale))
        case (.money, .int(let number)):
            return .numeric(ExactDecimal(number).text(scale: ColumnType.moneyMinimumScale))
        case (.boolean, .bool(let flag)): return .bool(flag)
        case (.date, .date(let date)): return .date(date)
        case (.timestamp, .datetime(let instant)), (.timestamptz, .datetime(let instant)): return .timestamp(instant)
        case (.jsonb, .json(let text)): return .json(text)
        case (.bigintArray, .ids(let ids)): return .intArray(ids)
        default:
            throw Mismatch(
                problem: "a \(kind(of: value)) value cannot fill a \(type.sql) column",
                fix: "check the field's type in Odoo against the column type in the pipeline file")
        }
    }

    private static func numeric(units: Int64, precision: Int, scale: Int) throws -> Cell {
        let text = ScaledMoney.text(units: units, scale: scale)
        guard ScaledMoney.integerDigitCount(units: units, scale: scale) <= precision - scale else {
            throw Mismatch(
                problem: "\(text) does not fit numeric(\(precision),\(scale)) (at most "
                    + "\(precision - scale) digits before the point)",
                fix: "widen the column in a new migration and in the pipeline file")
        }
        return .numeric(text)
    }

    private static func numeric(_ decimal: ExactDecimal, precision: Int, scale: Int) throws -> Cell {
        guard decimal.integerDigitCount(roundedTo: scale) <= precision - scale else {
            throw Mismatch(
                problem: "\(decimal) does not fit numeric(\(precision),\(scale)) (at most "
                    + "\(precision - scale) digits before the point)",
                fix: "widen the column in a new migration and in the pipeline file")
        }
        return .numeric(decimal.text(scale: scale))
    }

    static func kind(of value: OdooValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .float: return "float"
        case .string: return "text"
        case .date: return "date"
        case .datetime: return "datetime"
        case .many2one: return "many2one"
        case .ids: return "id list"
        case .json: return "json"
        }
    }
}
