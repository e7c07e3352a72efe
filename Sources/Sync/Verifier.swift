import ETLModel
import OdooRPC
import Pipelines
import Postgres
import Warehouse

/// Compares one unit (pipeline × company) between Odoo and the warehouse: the count of live
/// records, and per month the count and the sum of every amount column of the pipeline's first
/// table (see `VerificationMeasures`). Odoo is asked with the extraction's own domain and context,
/// so a difference means the warehouse is behind or wrong, not that the two looked at different things.
public struct Verifier {
    let client: OdooClient
    let warehouse: PostgresConnection

    /// Blocking: call from a dedicated thread, never the concurrency pool.
    public init(client: OdooClient, warehouse: PostgresConnection) {
        self.client = client
        self.warehouse = warehouse
    }

    /// - Parameter companyName: for messages only.
    public func verify(plan: PipelinePlan, unit: SyncUnit, companyName: String? = nil) throws -> UnitVerification {
        let planned = PlannedUnit(unit: unit, plan: plan, companyName: companyName)
        var result = UnitVerification(unit: unit, label: planned.label)
        guard let target = plan.definition.targets.first else { return result }
        let measures = VerificationMeasures(plan: plan, fields: try client.fieldsGet(model: plan.model))
        result.measures = measures
        let odoo = try OdooSide(client: client, plan: plan, unit: unit, filter: target.filter)
        let store = try WarehouseSide(connection: warehouse, plan: plan, table: target.table, unit: unit)
        result.odooRows = try odoo.count()
        result.warehouseRows = try store.count()

        func difference(_ month: VerificationMonth, _ measure: String, _ odooValue: String, _ warehouseValue: String) {
            result.differences.append(
                VerificationDifference(
                    pipeline: plan.name, companyId: unit.companyId, companyName: companyName, month: month,
                    measure: measure, odoo: odooValue, warehouse: warehouseValue))
        }
        if measures.month != nil || !measures.amounts.isEmpty {
            let odooGroups = try odoo.groups(measures)
            let storeGroups = try store.groups(measures)
            for month in Set(odooGroups.keys).union(storeGroups.keys).sorted() {
                let inOdoo = odooGroups[month] ?? .empty
                let inStore = storeGroups[month] ?? .empty
                if inOdoo.count != inStore.count {
                    difference(month, VerificationDifference.rowsMeasure, String(inOdoo.count), String(inStore.count))
                }
                for amount in measures.amounts {
                    let odooSum = (inOdoo.sums[amount.field] ?? .zero).text(scale: amount.scale)
                    let storeSum = inStore.sums[amount.column] ?? ExactDecimal.zero.text(scale: amount.scale)
                    if odooSum != storeSum { difference(month, amount.column, odooSum, storeSum) }
                }
            }
        }
        // Records can change between the count and the groups; the totals still must agree.
        if result.odooRows != result.warehouseRows,
            !result.differences.contains(where: { $0.measure == VerificationDifference.rowsMeasure })
        {
            difference(.all, VerificationDifference.rowsMeasure, String(result.odooRows), String(result.warehouseRows))
        }
        return result
    }
}

/// A month's count and sums on one side; Odoo's sums keyed by field, the warehouse's by column.
struct VerificationGroup<Sum: Sendable>: Sendable {
    var count: Int
    var sums: [String: Sum]

    static var empty: VerificationGroup { VerificationGroup(count: 0, sums: [:]) }
}

extension ExactDecimal {
    static let zero = ExactDecimal(Int64(0))
}
