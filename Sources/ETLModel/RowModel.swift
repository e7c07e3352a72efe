import ETLModel

/// The small model where transform meets load: typed cells in a table's column order.
/// Transformers produce `RowBatch`es; the `Warehouse` loader turns them into COPY text.

/// A PostgreSQL column type the transformers can produce.
public enum ColumnType: Hashable, Sendable {
    case bigint
    case integer
    case text
    case boolean
    /// `numeric(precision, scale)`: rounded to the scale, refused beyond the precision.
    case numeric(precision: Int, scale: Int)
    /// `numeric` without a fixed scale, as Odoo stores monetary amounts: every currency keeps its
    /// own decimals (2 for PHP, 0 for JPY, 3 for KWD or BHD). Written with at least `minimumScale`
    /// decimals and rounded to at most `maximumScale`, which only float noise of a computed value reaches.
    case money
    public static let moneyMinimumScale = 2
    public static let moneyMaximumScale = 6
    case date
    /// `timestamp without time zone`, UTC by convention (Odoo's naive datetimes).
    case timestamp
    case timestamptz
    case jsonb
    case bigintArray

    /// The SQL spelling, as used in migrations and staging tables.
    public var sql: String {
        switch self {
        case .bigint: return "bigint"
        case .integer: return "integer"
        case .text: return "text"
        case .boolean: return "boolean"
        case .numeric(let p, let s): return "numeric(\(p),\(s))"
        case .money: return "numeric"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .timestamptz: return "timestamptz"
        case .jsonb: return "jsonb"
        case .bigintArray: return "bigint[]"
        }
    }
}

/// One cell of a row. Money is carried as exact decimal text (`"1234.50"`), never as a float.
public enum Cell: Hashable, Sendable {
    case null
    case int(Int64)
    case text(String)
    case bool(Bool)
    /// Exact decimal text already rounded to the column's scale, e.g. `"-2500.00"`, `"1.235"`.
    case numeric(String)
    case date(OdooDate)
    case timestamp(OdooDateTime)
    /// Canonical JSON text.
    case json(String)
    case intArray([Int64])
}

public struct ColumnSpec: Hashable, Sendable {
    public let name: String
    public let type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// A warehouse table as the loader sees it. Every table also has the loader-managed columns
/// `synced_at timestamptz` and `deleted_at timestamptz`, which are not part of `columns`.
public struct TableSchema: Hashable, Sendable {
    /// Schema-qualified name, e.g. `warehouse.hr_expense`.
    public let name: String
    /// Columns the transformer fills, in row order.
    public let columns: [ColumnSpec]
    /// The conflict key (a unique index exists on exactly these columns), e.g. `["odoo_id"]`.
    public let key: [String]
    /// The tenant column (`company_id`), nil for tables that are not tenant-scoped.
    public let companyColumn: String?
    /// The version column the merge guard compares (`odoo_write_date`).
    public let versionColumn: String

    public init(
        name: String, columns: [ColumnSpec], key: [String], companyColumn: String? = "company_id",
        versionColumn: String = "odoo_write_date"
    ) {
        self.name = name
        self.columns = columns
        self.key = key
        self.companyColumn = companyColumn
        self.versionColumn = versionColumn
    }

    public func index(of column: String) -> Int? { columns.firstIndex { $0.name == column } }
}

/// Rows for one target table, each row with one cell per `table.columns` entry.
public struct RowBatch: Sendable {
    public let table: TableSchema
    public var rows: [[Cell]]

    public init(table: TableSchema, rows: [[Cell]] = []) {
        self.table = table
        self.rows = rows
    }
}
