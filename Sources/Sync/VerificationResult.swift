import ETLModel
import Warehouse

/// One count or sum that is not the same in Odoo and in the warehouse.
public struct VerificationDifference: Hashable, Sendable, CustomStringConvertible {
    public let pipeline: String
    /// Nil for a global pipeline.
    public let companyId: Int?
    public let companyName: String?
    public let month: VerificationMonth
    /// `rows` for the record count, else the warehouse column whose sum differs.
    public let measure: String
    /// Exact text: a count, or a sum at the column's scale (`1234.50`).
    public let odoo: String
    public let warehouse: String

    public static let rowsMeasure = "rows"

    public var company: String {
        guard let companyId else { return "all companies" }
        return companyName.map { "\($0) (\(companyId))" } ?? "company \(companyId)"
    }

    public var description: String {
        "\(pipeline) · \(company) · \(month) · \(measure): Odoo \(odoo), warehouse \(warehouse)"
    }
}

/// How one unit (pipeline × company) compared.
public struct UnitVerification: Sendable {
    public enum Status: String, Sendable {
        case ok, differs, failed
    }

    public let unit: SyncUnit
    public let label: String
    /// Live records in Odoo (`search_count`) and live rows in the warehouse's first table.
    public var odooRows = 0
    public var warehouseRows = 0
    /// The columns whose sums were compared, and the date column that splits them by month.
    public var measures: VerificationMeasures?
    public var differences: [VerificationDifference] = []
    /// Why the unit could not be compared (no secrets); nil when it was.
    public var failure: String?

    public init(unit: SyncUnit, label: String) {
        self.unit = unit
        self.label = label
    }

    public var status: Status {
        if failure != nil { return .failed }
        return differences.isEmpty ? .ok : .differs
    }
}

/// Every unit of one `verify`.
public struct VerificationSummary: Sendable {
    public let odooVersion: String
    public let units: [UnitVerification]
    /// Pipelines skipped on this Odoo and optional fields it lacks.
    public let notices: [String]

    public var differences: [VerificationDifference] { units.flatMap(\.differences) }
    public var isClean: Bool { units.allSatisfy { $0.status == .ok } }
}
