import OdooModel

extension PipelinePlan {
    /// Turns one batch of records into rows: one `RowBatch` per target table, in the order of
    /// `tables`. `lookups` holds what the engine read for each of `lookupRequests`, keyed by model.
    /// Pure: the same records and lookups always give the same rows.
    public func transform(_ records: [OdooRecord], lookups results: LookupResults) throws -> [RowBatch] {
        try checkLookupResults(results, for: records)
        var batches = targets.map { RowBatch(table: $0.table, rows: []) }
        for record in records {
            for (index, target) in targets.enumerated() {
                if let row = try row(of: record, for: target, lookups: results) { batches[index].rows.append(row) }
            }
        }
        return batches
    }

    private func row(of record: OdooRecord, for target: CompiledTarget, lookups results: LookupResults) throws -> [Cell]? {
        if let filter = target.filter {
            guard case .string(let value) = record[filter.field], filter.values.contains(value) else { return nil }
        }
        var row: [Cell] = []
        row.reserveCapacity(target.columns.count)
        for column in target.columns {
            do {
                let cell: Cell
                switch column.source {
                case .value(let reference):
                    cell = try CellConversion.cell(value(of: reference, in: record, lookups: results),
                                                   part: reference.reference.part, type: column.type)
                case .derived(let function, let arguments):
                    cell = try function.evaluate(arguments.map { value(of: $0, in: record, lookups: results) })
                }
                if cell == .null, column.name == target.table.versionColumn {
                    throw CellConversion.Mismatch(problem: "the record has no write_date",
                                                  fix: "request write_date in the pipeline's fields")
                }
                row.append(cell)
            } catch let mismatch as CellConversion.Mismatch {
                throw TransformError(pipeline: name, model: model, recordID: record.id,
                                     column: "\(target.table.name).\(column.name)",
                                     problem: mismatch.problem, fix: mismatch.fix)
            }
        }
        return row
    }

    private func value(of reference: CompiledReference, in record: OdooRecord, lookups results: LookupResults) -> OdooValue {
        if reference.isAbsent { return .null }
        guard let lookup = reference.lookup else {
            return reference.reference.isRecordID ? .int(record.id) : record[reference.reference.field]
        }
        guard case .many2one(let id, _) = record[lookup.via] else { return .null }
        if reference.reference.isRecordID { return .int(id) }
        return results[lookup.model]?[id]?[reference.reference.field] ?? .null
    }

    /// A batch that needs related records the engine did not fetch would silently load NULLs.
    private func checkLookupResults(_ results: LookupResults, for records: [OdooRecord]) throws {
        for request in lookupRequests where results[request.model] == nil {
            if let record = records.first(where: { record in
                request.idsFrom.contains { if case .many2one = record[$0] { return true } else { return false } }
            }) {
                throw TransformError(pipeline: name, model: model, recordID: record.id, column: "",
                                     problem: "no lookup results for \(request.model) were passed to the transformer",
                                     fix: "read lookupRequests for each batch and pass them keyed by model")
            }
        }
    }
}
