import ETLModel
import Postgres

extension PostgresCopyWriter {
    /// Writes one cell in COPY text format. Numbers, dates and timestamps are formatted by us and
    /// need no escaping; text and JSON go through the escaping path.
    mutating func write(_ cell: Cell) throws {
        switch cell {
        case .null: writeNull()
        case .int(let value): writeField(value)
        case .text(let value): try writeField(value)
        case .bool(let value): writePlainField(value ? "t" : "f")
        case .numeric(let value): writePlainField(value)
        case .date(let value): writePlainField(value.description)
        case .timestamp(let value): writePlainField(value.description)
        case .json(let value): try writeField(value)
        case .intArray(let values): writePlainField("{" + values.map(String.init).joined(separator: ",") + "}")
        }
    }
}

extension PostgresCopyWriter {
    /// Writes every row of `batch`, refusing a row whose width is not the table's; `trailing`, when
    /// given, is one more column of every row (text that needs no escaping).
    mutating func write(_ batch: RowBatch, trailing: String? = nil) throws {
        let width = batch.table.columns.count
        for (number, row) in batch.rows.enumerated() {
            guard row.count == width else {
                throw WarehouseError.rowShape(table: batch.table.name, row: number + 1, expected: width, got: row.count)
            }
            for cell in row { try write(cell) }
            if let trailing { writePlainField(trailing) }
            try endRow()
        }
    }
}
