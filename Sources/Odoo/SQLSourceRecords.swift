/// COPY rows of the SQL source (`id`, stored `write_date`, then each field's columns) as the
/// `OdooRecord`s the XML-RPC decoder would have produced for the same stored values.
enum SQLSourceRecords {
    /// The paging key of row `index`: its id and stored write_date, to the microsecond.
    static func key(at index: Int, in rows: SQLSourceCopyRows, columns: Int, model: String,
                    ranges: inout [Range<Int>]) throws -> SQLSourceKey {
        rows.fields(ofRow: index, into: &ranges)
        guard ranges.count == columns, let id = rows.integer(ranges[0]) else {
            throw SQLSourceError(.unreadableValue(model: model, field: "id", recordID: nil, text: rows.string(ranges[0])))
        }
        let text = rows.string(ranges[1])
        guard !rows.isNull(ranges[1]), let writeDate = OdooDateTime(text) else {
            throw SQLSourceError(.unreadableValue(model: model, field: "write_date", recordID: id, text: text))
        }
        return SQLSourceKey(writeDate: writeDate, id: id)
    }

    static func record(at index: Int, in rows: SQLSourceCopyRows, readers: [SQLSourceFieldReader], model: String,
                       ranges: inout [Range<Int>]) throws -> OdooRecord {
        rows.fields(ofRow: index, into: &ranges)
        guard let id = rows.integer(ranges[0]) else {
            throw SQLSourceError(.unreadableValue(model: model, field: "id", recordID: nil, text: rows.string(ranges[0])))
        }
        var values: [String: OdooValue] = [:]
        values.reserveCapacity(readers.count)
        var column = 2
        for reader in readers {
            let width = reader.kind == .many2one ? 2 : 1
            guard column + width <= ranges.count else {
                throw SQLSourceError(.unreadableValue(model: model, field: reader.name, recordID: id, text: "(missing column)"))
            }
            guard let value = value(reader.kind, rows, ranges[column], width == 2 ? ranges[column + 1] : nil) else {
                throw SQLSourceError(.unreadableValue(model: model, field: reader.name, recordID: id, text: rows.string(ranges[column])))
            }
            values[reader.name] = value
            column += width
        }
        return OdooRecord(id: id, fields: values)
    }

    /// The value of one field, or nil when its text does not read as its kind.
    static func value(_ kind: SQLSourceValueKind, _ rows: SQLSourceCopyRows, _ range: Range<Int>, _ second: Range<Int>?) -> OdooValue? {
        let isNull = rows.isNull(range)
        switch kind {
        case .integer:
            return isNull ? .int(0) : rows.integer(range).map(OdooValue.int)
        case .float:
            return isNull ? .float(0) : Double(rows.string(range)).map(OdooValue.float)
        case .boolean:
            if isNull { return .bool(false) }
            switch rows.byte(range) {
            case 0x74: return .bool(true)
            case 0x66: return .bool(false)
            default: return nil
            }
        case .text:
            return isNull ? .null : .string(SQLSourceText.asDelivered(rows.string(range)))
        case .date:
            return isNull ? .null : OdooDate(rows.string(range)).map(OdooValue.date)
        case .datetime:
            return isNull ? .null : OdooDateTime(rows.string(range)).map { .datetime($0.wholeSecond) }
        case .many2one:
            if isNull { return .null }
            guard let id = rows.integer(range) else { return nil }
            let name = second.map { rows.isNull($0) ? "" : rows.string($0) } ?? ""
            return .many2one(id: id, name: SQLSourceText.asDelivered(name))
        case .ids:
            return isNull ? .ids([]) : ids(rows.string(range)).map(OdooValue.ids)
        case .json:
            if isNull { return .null }
            do {
                return try SQLSourceJSON.canonical(rows.string(range)).map(OdooValue.json) ?? .null
            } catch {
                return nil
            }
        }
    }

    /// `{3,1,2}`, PostgreSQL's text of an integer array.
    static func ids(_ text: String) -> [Int64]? {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return nil }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        var result: [Int64] = []
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = Int64(part) else { return nil }
            result.append(id)
        }
        return result
    }
}
