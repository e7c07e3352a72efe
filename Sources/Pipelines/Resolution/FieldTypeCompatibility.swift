import ETLModel

/// Which column types can hold which Odoo field types (and which piece of a many2one).
enum FieldTypeCompatibility {
    static func accepts(_ field: OdooFieldType, part: ValueReference.Part, column: ColumnType) -> Bool {
        switch part {
        case .id: return field == .many2one && isInteger(column)
        case .name: return field == .many2one && column == .text
        case .whole: break
        }
        switch field {
        case .char, .text, .html, .selection, .reference, .binary: return column == .text
        case .integer: return isDecimal(column) || isInteger(column)
        case .float, .monetary: return isDecimal(column)
        case .boolean: return column == .boolean
        case .date: return column == .date
        // A datetime is a UTC instant: its UTC day is not the Manila day (17:30 UTC on the 31st is
        // the 1st in Manila), so it never fills a date column silently.
        case .datetime: return column == .timestamp || column == .timestamptz
        case .many2one, .many2oneReference: return isInteger(column)
        case .one2many, .many2many: return column == .bigintArray
        case .json, .properties, .propertiesDefinition: return column == .jsonb
        }
    }

    static func isInteger(_ column: ColumnType) -> Bool { column == .bigint || column == .integer }

    static func isDecimal(_ column: ColumnType) -> Bool {
        if case .numeric = column { return true }
        return column == .money
    }

    /// What to write instead, for the resolution message.
    static func hint(_ field: OdooFieldType, part: ValueReference.Part, reference: ValueReference) -> String {
        switch (field, part) {
        case (.many2one, .whole):
            return "a many2one fills a bigint/integer id column; use \(reference).name for a text column"
        case (.many2one, _): return "\(reference.part.rawValue) of a many2one is \(part == .id ? "an integer" : "text")"
        case (_, .id), (_, .name): return "only many2one fields have .id and .name"
        case (.float, _), (.monetary, _): return "declare the column as money or numeric(p,s)"
        case (.datetime, _):
            return "a datetime is a UTC instant: declare the column timestamp and take the local day in SQL, "
                + "(column AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Manila')::date"
        case (.one2many, _), (.many2many, _): return "declare the column as bigint[]"
        case (.json, _), (.properties, _): return "declare the column as jsonb"
        default: return "declare a column type that holds \(field.rawValue) values"
        }
    }
}
