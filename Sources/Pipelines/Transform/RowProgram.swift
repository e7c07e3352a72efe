import ETLModel

/// A plan's column mappings flattened for the rows of one batch. Every field the rows need is
/// fetched from a record once, however many columns and tables use it, and each column becomes a
/// small instruction over those values: per record the transformer indexes arrays instead of
/// hashing field names for every cell. Built per batch (a few microseconds), because the lookup
/// results it points into change from batch to batch.
struct RowProgram {
    /// Where a value comes from.
    enum Operand {
        case absent
        case recordID
        /// The record's value in `fields[slot]`.
        case field(slot: Int)
        /// The id of the many2one in `fields[via]` (the looked-up record's own id).
        case lookupID(via: Int)
        /// A field of the record `fields[via]` points to, from `lookupTables[table]`.
        case lookupField(via: Int, table: Int, field: String)
    }

    struct Column {
        let operand: Operand
        let part: ValueReference.Part
        let type: ColumnType
        /// Index into `derivations`, for derived columns.
        let derivation: Int?
        let isVersion: Bool
    }

    struct Target {
        let table: TableSchema
        let columns: [Column]
        /// `table.column` of each column, for error messages.
        let columnNames: [String]
        let filter: (slot: Int, values: [String])?
    }

    /// The record fields read once per record, in slot order.
    private(set) var fields: [String] = []
    private var slots: [String: Int] = [:]
    private(set) var targets: [Target] = []
    private(set) var derivations: [(function: DerivedFunction, arguments: [Operand])] = []
    /// The related records of each lookup model, in `Operand.lookupField` table order.
    private(set) var lookupTables: [[Int64: OdooRecord]] = []
    private var lookupTableIndex: [String: Int] = [:]

    init(targets compiled: [CompiledTarget], lookups results: LookupResults) {
        for target in compiled {
            var columns: [Column] = []
            for column in target.columns {
                switch column.source {
                case .value(let reference):
                    columns.append(
                        Column(
                            operand: operand(reference, results), part: reference.reference.part, type: column.type,
                            derivation: nil, isVersion: column.name == target.table.versionColumn))
                case .derived(let function, let arguments):
                    derivations.append((function, arguments.map { operand($0, results) }))
                    columns.append(
                        Column(
                            operand: .absent, part: .whole, type: column.type, derivation: derivations.count - 1,
                            isVersion: column.name == target.table.versionColumn))
                }
            }
            let filter = target.filter.map { (slot: slot(of: $0.field), values: $0.values) }
            targets.append(
                Target(
                    table: target.table, columns: columns,
                    columnNames: target.columns.map { "\(target.table.name).\($0.name)" }, filter: filter))
        }
    }

    private mutating func slot(of field: String) -> Int {
        if let slot = slots[field] { return slot }
        fields.append(field)
        slots[field] = fields.count - 1
        return fields.count - 1
    }

    private mutating func operand(_ reference: CompiledReference, _ results: LookupResults) -> Operand {
        if reference.isAbsent { return .absent }
        guard let lookup = reference.lookup else {
            return reference.reference.isRecordID ? .recordID : .field(slot: slot(of: reference.reference.field))
        }
        let via = slot(of: lookup.via)
        if reference.reference.isRecordID { return .lookupID(via: via) }
        let table: Int
        if let known = lookupTableIndex[lookup.model] {
            table = known
        } else {
            lookupTables.append(results[lookup.model] ?? [:])
            table = lookupTables.count - 1
            lookupTableIndex[lookup.model] = table
        }
        return .lookupField(via: via, table: table, field: reference.reference.field)
    }

    /// The value of `operand` for the record whose fields are `values` (in slot order).
    func value(_ operand: Operand, id: Int64, values: [OdooValue]) -> OdooValue {
        switch operand {
        case .absent: return .null
        case .recordID: return .int(id)
        case .field(let slot): return values[slot]
        case .lookupID(let via):
            guard case .many2one(let target, _) = values[via] else { return .null }
            return .int(target)
        case .lookupField(let via, let table, let field):
            guard case .many2one(let target, _) = values[via] else { return .null }
            return lookupTables[table][target]?[field] ?? .null
        }
    }
}
