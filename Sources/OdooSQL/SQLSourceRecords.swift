import ETLModel

/// COPY rows of the SQL source (`id`, stored `write_date`, then each field's columns) as the
/// `OdooRecord`s the XML-RPC decoder would have produced for the same stored values.
enum SQLSourceRecords {
    /// The paging key of row `index`: its id and stored write_date, to the microsecond.
    static func key(
        at index: Int, in rows: SQLSourceCopyRows, columns: Int, model: String,
        ranges: inout [Range<Int>]
    ) throws -> SQLSourceKey {
        rows.fields(ofRow: index, into: &ranges)
        guard ranges.count == columns, let id = rows.integer(ranges[0]) else {
            throw SQLSourceError(.unreadableValue(model: model, field: "id", recordID: nil, text: rows.string(ranges[0])))
        }
        guard !rows.isNull(ranges[1]), let writeDate = rows.timestamp(ranges[1]) else {
            throw SQLSourceError(.unreadableValue(model: model, field: "write_date", recordID: id, text: rows.string(ranges[1])))
        }
        return SQLSourceKey(writeDate: writeDate, id: id)
    }

    /// Display names of many2one targets, by comodel and id.
    typealias Names = [String: [Int64: String]]

    /// Decodes rows read with `readers`, naming many2one targets from `names`.
    struct Decoder {
        let readers: [SQLSourceFieldReader]
        let model: String
        /// `names` of each reader's comodel, aligned with `readers` (empty for other fields).
        private let nameTables: [[Int64: String]]
        private var ranges: [Range<Int>] = []

        init(readers: [SQLSourceFieldReader], names: Names, model: String) {
            self.readers = readers
            self.model = model
            nameTables = readers.map { reader in reader.comodel.flatMap { names[$0] } ?? [:] }
        }

        mutating func record(at index: Int, in rows: SQLSourceCopyRows) throws -> OdooRecord {
            rows.fields(ofRow: index, into: &ranges)
            guard ranges.count == readers.count + 2, let id = rows.integer(ranges[0]) else {
                throw SQLSourceError(.unreadableValue(model: model, field: "id", recordID: nil, text: rows.string(ranges[0])))
            }
            var values: [String: OdooValue] = [:]
            values.reserveCapacity(readers.count)
            for (offset, reader) in readers.enumerated() {
                let range = ranges[offset + 2]
                let value: OdooValue?
                if reader.kind == .many2one {
                    value = rows.isNull(range) ? .null : rows.integer(range).map { .many2one(id: $0, name: nameTables[offset][$0] ?? "") }
                } else {
                    value = SQLSourceRecords.value(reader.kind, rows, range)
                }
                guard let value else {
                    throw SQLSourceError(.unreadableValue(model: model, field: reader.name, recordID: id, text: rows.string(range)))
                }
                values[reader.name] = value
            }
            return OdooRecord(id: id, fields: values)
        }
    }

    /// The many2one targets of `rows` whose names `known` lacks, by comodel.
    static func unnamedTargets(in rows: SQLSourceCopyRows, readers: [SQLSourceFieldReader], known: Names) -> [String: Set<Int64>] {
        let columns = readers.enumerated().compactMap { offset, reader in reader.comodel.map { (offset + 2, $0) } }
        guard !columns.isEmpty else { return [:] }
        // Per column, not per comodel name, inside the loop: no string hashing per cell.
        let knownNames = columns.map { known[$0.1] ?? [:] }
        var missingByColumn = [Set<Int64>](repeating: [], count: columns.count)
        var ranges: [Range<Int>] = []
        for row in 0..<rows.count {
            rows.fields(ofRow: row, into: &ranges)
            for index in columns.indices where columns[index].0 < ranges.count {
                guard let id = rows.integer(ranges[columns[index].0]), knownNames[index][id] == nil else { continue }
                missingByColumn[index].insert(id)
            }
        }
        var missing: [String: Set<Int64>] = [:]
        for (index, ids) in missingByColumn.enumerated() where !ids.isEmpty {
            missing[columns[index].1, default: []].formUnion(ids)
        }
        return missing
    }

    /// The value of one field, or nil when its text does not read as its kind.
    static func value(_ kind: SQLSourceValueKind, _ rows: SQLSourceCopyRows, _ range: Range<Int>) -> OdooValue? {
        let isNull = rows.isNull(range)
        switch kind {
        case .integer:
            return isNull ? .int(0) : rows.integer(range).map(OdooValue.int)
        case .float:
            return isNull ? .float(0) : rows.double(range).map(OdooValue.float)
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
            return isNull ? .null : rows.date(range).map(OdooValue.date)
        case .datetime:
            return isNull ? .null : rows.timestamp(range).map { .datetime($0.wholeSecond) }
        case .many2one:
            return isNull ? .null : rows.integer(range).map { .many2one(id: $0, name: "") }
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
