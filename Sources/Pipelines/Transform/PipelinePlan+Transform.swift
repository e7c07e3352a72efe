import ETLModel

extension PipelinePlan {
    /// Turns one batch of records into rows: one `RowBatch` per target table, in the order of
    /// `tables`. `lookups` holds what the engine read for each of `lookupRequests`, keyed by model.
    /// Pure: the same records and lookups always give the same rows.
    public func transform(_ records: [OdooRecord], lookups results: LookupResults) throws -> [RowBatch] {
        try checkLookupResults(results, for: records)
        let program = RowProgram(targets: targets, lookups: results)
        var batches = program.targets.map { target -> RowBatch in
            var batch = RowBatch(table: target.table, rows: [])
            batch.rows.reserveCapacity(records.count)
            return batch
        }
        var values = [OdooValue](repeating: .null, count: program.fields.count)
        for record in records {
            for slot in values.indices { values[slot] = record[program.fields[slot]] }
            for index in program.targets.indices {
                if let row = try row(of: record.id, values: values, for: program.targets[index], in: program) {
                    batches[index].rows.append(row)
                }
            }
        }
        return batches
    }

    private func row(of id: Int64, values: [OdooValue], for target: RowProgram.Target, in program: RowProgram) throws -> [Cell]? {
        if let filter = target.filter {
            guard case .string(let value) = values[filter.slot], filter.values.contains(value) else { return nil }
        }
        var row: [Cell] = []
        row.reserveCapacity(target.columns.count)
        for index in target.columns.indices {
            let column = target.columns[index]
            do {
                let cell: Cell
                if let derivation = column.derivation {
                    let (function, arguments) = program.derivations[derivation]
                    cell = try function.evaluate(arguments.map { program.value($0, id: id, values: values) })
                } else {
                    cell = try CellConversion.cell(
                        program.value(column.operand, id: id, values: values), part: column.part, type: column.type)
                }
                if case .null = cell, column.isVersion {
                    throw CellConversion.Mismatch(
                        problem: "the record has no write_date",
                        fix: "request write_date in the pipeline's fields")
                }
                row.append(cell)
            } catch let mismatch as CellConversion.Mismatch {
                throw TransformError(
                    pipeline: name, model: model, recordID: id, column: target.columnNames[index],
                    problem: mismatch.problem, fix: mismatch.fix)
            }
        }
        return row
    }

    /// A batch that needs related records the engine did not fetch would silently load NULLs.
    private func checkLookupResults(_ results: LookupResults, for records: [OdooRecord]) throws {
        for request in lookupRequests where results[request.model] == nil {
            if let record = records.first(where: { record in
                request.idsFrom.contains { if case .many2one = record[$0] { return true } else { return false } }
            }) {
                throw TransformError(
                    pipeline: name, model: model, recordID: record.id, column: "",
                    problem: "no lookup results for \(request.model) were passed to the transformer",
                    fix: "read lookupRequests for each batch and pass them keyed by model")
            }
        }
    }
}
